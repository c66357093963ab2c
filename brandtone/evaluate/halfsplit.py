"""Stage 6's half-split test: does the tuned model continue the brand's own held-out texts better than
the base model?

Each test text is cut at the word boundary nearest half its tokens (the shared text format, one
tokenisation with the base tokenizer, which the tuned model must share). Both models continue every
first half with the same decoding (greedy by default), at most as many new tokens as the true second
half has. The primary metric is the conditional perplexity of the true second half given the first;
BLEU and chrF (sacrebleu), ROUGE-L (rouge-score), repetition and distinct-n describe the generated
text. Reference floors sit in the same table: the first half echoed, a random training text, the
nearest training text by TF-IDF. Paired bootstrap resamples of the texts give every interval.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from brandtone.errors import StageError
from brandtone.evaluate.findings import floor_sentence, verdict
from brandtone.evaluate.floors import add_to_floor, copy_floors, empty_floor
from brandtone.evaluate.metrics import METRICS, bootstrap_weights, build_scorers, compare
from brandtone.generation import Decoding, auto_batch_tokens, generate, truth_nll
from brandtone.textformat import end_ids, leading_special_ids, split_for_continuation, text_ids

MODELS = ("base", "tuned")
FLOORS = ("echo", "random", "retrieval")


@dataclass
class HeldOut:
    """One test text cut in two, as the models see it and as it is scored."""

    index: int  # row in the test split
    source: str
    url: str
    prompt_text: str
    first_half_ids: list[int]  # the first half's text tokens
    prompt_ids: list[int]  # leading specials + first half, shortened on the left only to fit the context
    truth_text: str  # the reference: the true second half (its first max_new_tokens_cap tokens)
    truth_ids: list[int]


def split_texts(test, tokenizer, config, max_positions) -> tuple[list[HeldOut], dict]:
    """Cut every test text in two; cap the scored half; keep prompt + continuation inside the model's context."""
    ev = config.evaluate
    specials = leading_special_ids(tokenizer)
    texts, counts = [], {"too_short": 0, "truth_capped": 0, "prompt_shortened": 0}
    for index, row in enumerate(test):
        split = split_for_continuation(tokenizer, row["text"], ev.min_tokens)
        if split is None:
            counts["too_short"] += 1
            continue
        truth_ids = split.truth_ids[: ev.max_new_tokens_cap]
        capped = len(truth_ids) < len(split.truth_ids)
        counts["truth_capped"] += capped
        first_half = split.prompt_ids[len(specials) :]
        room = max(1, (max_positions or 10**9) - len(truth_ids) - len(specials))
        counts["prompt_shortened"] += len(first_half) > room
        texts.append(
            HeldOut(
                index=index,
                source=row.get("source") or "",
                url=row.get("url") or "",
                prompt_text=split.prompt_text,
                first_half_ids=first_half,
                prompt_ids=specials + first_half[-room:],
                truth_text=tokenizer.decode(truth_ids) if capped else split.truth_text,
                truth_ids=truth_ids,
            )
        )
    if not texts:
        raise StageError(
            f"all {len(test)} test texts in {config.paths.dataset_dir} are shorter than evaluate.min_tokens={ev.min_tokens} "
            f"tokens (or have no word boundary to cut at): lower evaluate.min_tokens or add longer texts"
        )
    return texts[: ev.max_texts], counts


class HalfSplitTest:
    """Prepared once (held-out halves, floors), run on each model, then scored."""

    def __init__(self, config, pair, train, test):
        self.ev = ev = config.evaluate
        self.tokenizer = tokenizer = pair.tokenizer
        self.test_texts = len(test)
        self.items, self.counts = split_texts(test, tokenizer, config, pair.max_positions)
        self.decoding = Decoding.from_config(ev)
        self.floors = self._floors(list(train["text"]))

    def _floors(self, train_texts: list[str]) -> dict:
        """Echo (the first half again), random and retrieval (a training text's second half), cut to the truth's length."""
        second_halves: dict[int, list[int]] = {}

        def second_half(i: int) -> list[int]:  # a training text's continuation part, as a test text's truth is
            if i not in second_halves:
                split = split_for_continuation(self.tokenizer, train_texts[i], 2)
                second_halves[i] = split.truth_ids if split else text_ids(self.tokenizer, train_texts[i])
            return second_halves[i]

        echo = empty_floor()
        for item in self.items:
            add_to_floor(echo, self.tokenizer, item.first_half_ids[: len(item.truth_ids)], None)
        copies = copy_floors(
            [t.prompt_text for t in self.items],
            [len(t.truth_ids) for t in self.items],
            train_texts,
            second_half,
            self.tokenizer,
            self.ev.seed,
        )
        return {"echo": echo, **copies}

    def run(self, name: str, model, log) -> dict:
        """Perplexity of the true second halves, then the continuations (one pass per seed)."""
        prompts, truths = [t.prompt_ids for t in self.items], [t.truth_ids for t in self.items]
        batch_tokens = self.ev.batch_tokens or auto_batch_tokens(model)
        pad = self.tokenizer.pad_token_id
        started = time.time()
        nll = truth_nll(model, prompts, truths, batch_tokens=batch_tokens, pad=pad)
        scored = time.time()
        ids = [
            generate(
                model,
                prompts,
                [len(t) for t in truths],
                decoding=self.decoding,
                seed=seed,
                batch_tokens=batch_tokens,
                eos=end_ids(self.tokenizer),
                pad=pad,
            )
            for seed in self.decoding.seeds
        ]
        finished = time.time()
        new_tokens = sum(len(c) for run in ids for c in run)
        log.info(
            "%s: perplexity pass %.1f s; %d continuations, %d new tokens, in %.1f s",
            name,
            scored - started,
            len(self.items) * len(ids),
            new_tokens,
            finished - scored,
        )
        return {"nll": nll, "ids": ids, "seconds": {"perplexity": round(scored - started, 2), "generation": round(finished - scored, 2)}}

    def continuations(self, outputs: dict) -> dict[str, list[list[str]]]:
        """{model: [text][seed] -> decoded continuation}."""
        seeds = range(len(self.decoding.seeds))
        return {m: [[self.tokenizer.decode(outputs[m]["ids"][s][i]) for s in seeds] for i in range(len(self.items))] for m in MODELS}

    def _lengths(self, outputs: dict) -> dict[str, list[list[int]]]:
        seeds = range(len(self.decoding.seeds))
        return {
            **{m: [[len(outputs[m]["ids"][s][i]) for s in seeds] for i in range(len(self.items))] for m in MODELS},
            **{f: [[n] for n in self.floors[f]["lengths"]] for f in FLOORS},
            "truth": [[len(t.truth_ids)] for t in self.items],
        }

    def per_text_perplexity(self, outputs: dict) -> dict[str, np.ndarray]:
        token_counts = np.array([len(t.truth_ids) for t in self.items])
        return {m: np.exp(outputs[m]["nll"] / token_counts) for m in MODELS}

    def report(self, outputs: dict) -> dict:
        """report.json's half-split part: what was evaluated, metrics with paired bootstrap intervals, verdict sentences."""
        ev, items = self.ev, self.items
        decoded, lengths = self.continuations(outputs), self._lengths(outputs)
        texts = {**decoded, **{f: [[c] for c in self.floors[f]["texts"]] for f in FLOORS}, "truth": [[t.truth_text] for t in items]}
        references = [t.truth_text for t in items]
        token_counts = [len(t.truth_ids) for t in items]
        scorers, signatures = build_scorers(texts, lengths, references, {m: outputs[m]["nll"] for m in MODELS}, token_counts)
        weights = bootstrap_weights(len(items), ev.bootstrap_samples, ev.seed)
        metrics = {name: compare(scorers[name], weights, ev.confidence, METRICS[name][1]) for name in METRICS}
        shown = np.random.default_rng(ev.seed).choice(len(items), size=min(ev.samples_in_report, len(items)), replace=False)
        return {
            "decoding": {**self.decoding.describe(), "max_new_tokens": f"length of the true second half, at most {ev.max_new_tokens_cap}"},
            "texts": {
                "test": self.test_texts,
                "evaluated": len(items),
                "min_tokens": ev.min_tokens,
                "max_texts": ev.max_texts,
                "max_new_tokens_cap": ev.max_new_tokens_cap,
                **self.counts,
            },
            "verdict": [verdict(metrics["perplexity"], ev.confidence, len(items)), floor_sentence(metrics, "Half-split test")],
            "metrics": metrics,
            "signatures": signatures,
            "bootstrap": {
                "samples": ev.bootstrap_samples,
                "confidence": ev.confidence,
                "seed": ev.seed,
                "method": "paired percentile bootstrap over texts; corpus metrics recomputed per resample",
            },
            "per_seed": spread_over_seeds(decoded, lengths, references, token_counts) if len(self.decoding.seeds) > 1 else None,
            "seconds": {m: outputs[m]["seconds"] for m in MODELS},
            "samples": [
                {
                    "source": items[i].source,
                    "url": items[i].url,
                    "prompt": items[i].prompt_text,
                    "truth": items[i].truth_text,
                    "base": decoded["base"][i][0],
                    "tuned": decoded["tuned"][i][0],
                }
                for i in sorted(shown.tolist())
            ],
        }

    def rows(self, outputs: dict, leaks: list) -> list[dict]:
        """generations.jsonl: one row per held-out text and seed; `leaks` is the leakage check's answer per test row."""
        decoded, lengths, perplexity = self.continuations(outputs), self._lengths(outputs), self.per_text_perplexity(outputs)
        return [
            {
                "test_index": t.index,
                "seed": seed,
                "source": t.source,
                "url": t.url,
                "prompt": t.prompt_text,
                "truth": t.truth_text,
                "base": decoded["base"][i][s],
                "tuned": decoded["tuned"][i][s],
                **{f: self.floors[f]["texts"][i] for f in FLOORS},
                "random_train_index": self.floors["random"]["train_index"][i],
                "retrieval_train_index": self.floors["retrieval"]["train_index"][i],
                "truth_tokens": len(t.truth_ids),
                "base_tokens": lengths["base"][i][s],
                "tuned_tokens": lengths["tuned"][i][s],
                "perplexity": {m: float(perplexity[m][i]) for m in MODELS},
                "leaked_from_train": leaks[t.index],
            }
            for i, t in enumerate(self.items)
            for s, seed in enumerate(self.decoding.seeds)
        ]


def spread_over_seeds(decoded: dict, lengths: dict, references: list[str], token_counts: list[int]) -> dict:
    """Each sampling seed's own corpus score of every generated-text metric, for base and tuned."""
    spread: dict[str, dict[str, list[float]]] = {m: {} for m in MODELS}
    for s in range(len(decoded["base"][0])):
        one = {m: [[c[s]] for c in decoded[m]] for m in spread}
        scorers, _ = build_scorers(one, {m: [[n[s]] for n in lengths[m]] for m in spread}, references, {}, token_counts)
        for name, by_system in scorers.items():
            for model, scorer in by_system.items():
                spread[model].setdefault(name, []).append(scorer.score())
    return spread
