"""Stage 6's writing test: each held-out document's request (stage 3's `messages`) goes to every model
system in the shared chat format (brandtone.textformat), and the answers are compared with the
document the brand actually wrote.

The systems (report.json's `writing.systems` lists them, with their labels and kinds):
- model systems, which answer each request: `base` (the base model), `prompted` (the base model with
  `evaluate.fewshot_examples` of the brand's nearest training posts before the request:
  brandtone/evaluate/prompted.py; left out when that is 0) and `tuned` (the fine-tuned model);
- floors: `random` (a random training text) and `retrieval` (the training text nearest to the request
  by TF-IDF), each cut to the answers' cap: what copying the brand scores;
- `control`: another brand's texts (`evaluate.control_dataset`), cut to the cap: the two-sample test
  must tell them apart from this brand's, or it cannot see the voice;
- `truth`: the document the brand wrote.

Every model system reads prompt ids rendered with one tokenizer, the tuned model's folder's, which
carries the chat template it was trained with (a tokenizer without one gets the plain template, as
stage 4 gives it), and decodes identically (evaluate.write_*: sampling with evaluate.seed by default).
Measured, with paired bootstrap intervals over the requests:
- the conditional perplexity of the true document given its request, without and with the end-of-turn
  token after it (the end-of-turn is format, not voice: the tuned model was trained to emit it after the
  template, the base model maybe not);
- BLEU, chrF and ROUGE-L of every system's texts against the true documents;
- the two-sample voice test and the copy check (brandtone/evaluate/voice.py, copying.py);
- style statistics against the true texts (brandtone/evaluate/style.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from brandtone.dedup import NearDuplicateRule
from brandtone.evaluate.findings import floor_sentence, prompting_sentence, verdict
from brandtone.evaluate.floors import COPY_FLOORS, copy_floors
from brandtone.evaluate.metrics import METRICS, bootstrap_weights, build_scorers, compare, perplexity_scorer
from brandtone.evaluate.prompted import FewShotPrompts
from brandtone.evaluate.style import SHARED, STYLE, style_scorers
from brandtone.evaluate.voice import closeness
from brandtone.generation import Decoding, auto_batch_tokens, generate, truth_token_nll
from brandtone.manifest import read_manifest
from brandtone.models import load_tokenizer
from brandtone.splits import CHAT_COLUMNS, load_splits
from brandtone.textformat import check_chat_template, encode_chat, end_ids, request_and_answer, text_ids, use_chat_template

MODEL_SYSTEMS = ("base", "prompted", "tuned")  # in the tables' order; "prompted" only with evaluate.fewshot_examples > 0
LABELS = {  # system -> how the report's sentences name it
    "base": "base model",
    "prompted": "prompted base model",
    "tuned": "tuned model",
    "random": "random training text",
    "retrieval": "nearest training text",
    "control": "other brand's texts",
    "truth": "brand's own held-out texts",
}
KINDS = {
    "base": "model",
    "prompted": "model",
    "tuned": "model",
    "random": "floor",
    "retrieval": "floor",
    "control": "control",
    "truth": "truth",
}
TEXT_METRICS = ("perplexity", "perplexity_with_end", "bleu", "chrf", "rouge_l")
METRIC_LABELS = {
    **{name: label for name, (label, _) in METRICS.items()},
    "perplexity": "perplexity of the document",
    "perplexity_with_end": "perplexity with its end-of-turn",
    "two_sample": "two-sample accuracy % (50 = indistinguishable)",
    "copies": "copies a training text %",
}


@dataclass(frozen=True)
class Request:
    """One held-out document as the writing test sees it."""

    index: int  # row in the test split
    source: str
    url: str
    request: str
    truth: str  # the document the brand wrote
    prompt_ids: list[int]  # the chat template's generation prompt for the request
    document_ids: list[int]  # the document's tokens as the chat format has them (cut only to fit the context)
    end_ids: list[int]  # the end-of-turn token after a whole document; none after a cut one

    @property
    def scored_ids(self) -> list[int]:
        return self.document_ids + self.end_ids


@dataclass(frozen=True)
class Control:
    """Another brand's texts, for the two-sample test's control."""

    brand: str
    texts: list[str]

    @classmethod
    def of_dataset(cls, folder: Path) -> "Control":
        """Both splits of another brand's stage-3 dataset, named as its manifest names the brand."""
        splits = load_splits(folder)
        brand = (read_manifest(folder, "dataset").get("config") or {}).get("brand", {}).get("name") or str(folder)
        return cls(brand, [t for split in splits.values() for t in split["text"] if t.strip()])


def chat_tokenizer(pair):
    """The tuned model folder's tokenizer (its chat template is the trained one), else the base model's;
    a template that cannot render a request and its answer is a one-line ChatFormatError."""
    folder = pair.tuned_folder
    has_own = any((folder / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json", "tokenizer.model"))
    tokenizer = load_tokenizer(str(folder) if has_own else pair.base)
    use_chat_template(tokenizer)
    check_chat_template(tokenizer)
    return tokenizer


def request_of(row: dict, where: str) -> str:
    return request_and_answer(row["messages"], where)[0]


def training_requests(train, dataset_dir) -> list[str]:
    """Every training row's writing request (stage 3's messages): the prompted baseline picks its examples by them."""
    return [request_of(row, f"{dataset_dir} train row {i}") for i, row in enumerate(train)]


def training_examples(dataset_dir: Path) -> tuple[list[str], list[str]]:
    """The training split's texts and their requests, read from the dataset: the prompted baseline's examples."""
    train = load_splits(dataset_dir, CHAT_COLUMNS)["train"]
    return list(train["text"]), training_requests(train, dataset_dir)


class WritingTest:
    """Prepared once (requests, the prompted baseline's prompts, floors, control texts), run on each model, then scored."""

    def __init__(self, config, pair, train, test, control: Optional[Control] = None):
        ev = self.ev = config.evaluate
        self.tokenizer = tokenizer = chat_tokenizer(pair)
        self.decoding = Decoding.for_writing(ev)
        where = Path(config.paths.dataset_dir)
        rows = list(enumerate(test))[: ev.max_texts]
        requests = [request_of(row, f"{where} test row {index}") for index, row in rows]
        self.train_texts = list(train["text"])
        self.prompted = None
        if ev.fewshot_examples:  # built before any model loads: a prompt that does not fit is a config error now
            self.prompted = FewShotPrompts(
                tokenizer,
                requests,
                self.train_texts,
                training_requests(train, where),
                ev.fewshot_examples,
                ev.write_max_new_tokens,
                pair.max_positions,
                pair.base,
            )
        self.items = []
        for k, ((index, row), request) in enumerate(zip(rows, requests)):
            example = encode_chat(tokenizer, request, row["text"])
            longest = max(len(example.prompt_ids), len(self.prompted.prompt_ids[k]) if self.prompted else 0)
            scored = example.answer_ids[: max(1, (pair.max_positions or 10**9) - longest)]  # every system scores the same tokens
            whole = len(scored) == len(example.answer_ids)
            self.items.append(
                Request(
                    index,
                    row.get("source") or "",
                    row.get("url") or "",
                    request,
                    row["text"],
                    example.prompt_ids,
                    scored[:-1] if whole else scored,
                    scored[-1:] if whole else [],
                )
            )
        self.floors = copy_floors(
            [i.request for i in self.items],
            [ev.write_max_new_tokens] * len(self.items),
            self.train_texts,
            lambda i: text_ids(tokenizer, self.train_texts[i]),
            tokenizer,
            ev.seed,
        )
        self.control = None
        if control:  # as many of its texts as there are requests (fewer if it has fewer), each cut to the answers' cap
            picked = np.random.default_rng(ev.seed).choice(len(control.texts), size=min(len(self.items), len(control.texts)), replace=False)
            self.control = Control(control.brand, [self.cut(control.texts[i]) for i in sorted(picked.tolist())])
        self.copy_rule = NearDuplicateRule.of(config.clean)

    @property
    def systems(self) -> list[str]:
        return [s for s in MODEL_SYSTEMS if s != "prompted" or self.prompted]

    def cut(self, text: str) -> str:
        """`text` cut to the answers' cap in tokens, as the two-sample test and the copy check compare texts."""
        return self.tokenizer.decode(text_ids(self.tokenizer, text)[: self.ev.write_max_new_tokens])

    def run(self, name: str, model, log) -> dict[str, dict]:
        """The model's systems on every request: base and prompted on the base model, tuned on the tuned one."""
        prompts = (
            {"tuned": [i.prompt_ids for i in self.items]}
            if name == "tuned"
            else {"base": [i.prompt_ids for i in self.items], **({"prompted": self.prompted.prompt_ids} if self.prompted else {})}
        )
        batch_tokens = self.ev.batch_tokens or auto_batch_tokens(model)
        return {system: self._run(system, model, ids, batch_tokens, log) for system, ids in prompts.items()}

    def _run(self, system: str, model, prompts: list[list[int]], batch_tokens: int, log) -> dict:
        """Perplexity of the true documents (without and with the end-of-turn) and the answers."""
        started = time.time()
        per_token = truth_token_nll(
            model, prompts, [i.scored_ids for i in self.items], batch_tokens=batch_tokens, pad=self.tokenizer.pad_token_id
        )
        scored = time.time()
        ids = generate(
            model,
            prompts,
            [self.ev.write_max_new_tokens] * len(prompts),
            decoding=self.decoding,
            seed=self.decoding.seeds[0],
            batch_tokens=batch_tokens,
            eos=end_ids(self.tokenizer),
            pad=self.tokenizer.pad_token_id,
        )
        answers = [self.tokenizer.decode(i, skip_special_tokens=True) for i in ids]
        finished = time.time()
        log.info("%s, writing test: perplexity %.1f s; %d answers in %.1f s", system, scored - started, len(answers), finished - scored)
        return {
            "nll": np.array([t[: len(i.document_ids)].sum() for t, i in zip(per_token, self.items)]),
            "nll_with_end": np.array([t.sum() for t in per_token]),
            "answers": answers,
            "seconds": {"perplexity": round(scored - started, 2), "generation": round(finished - scored, 2)},
        }

    def report(self, outputs: dict[str, dict]) -> dict:
        """report.json's `writing` section: metrics, two-sample test, copying, style, verdict sentences."""
        ev, items, models = self.ev, self.items, self.systems
        answers = {m: outputs[m]["answers"] for m in models}
        truths = [i.truth for i in items]
        written = {**answers, **{f: self.floors[f]["texts"] for f in COPY_FLOORS}}  # every system paired with the requests
        texts = {**{s: [[t] for t in ts] for s, ts in written.items()}, "truth": [[t] for t in truths]}
        lengths = {
            **{m: [[len(text_ids(self.tokenizer, a))] for a in answers[m]] for m in models},
            **{f: [[n] for n in self.floors[f]["lengths"]] for f in COPY_FLOORS},
            "truth": [[len(i.document_ids)] for i in items],
        }
        scorers, signatures = build_scorers(
            texts, lengths, truths, {m: outputs[m]["nll"] for m in models}, [len(i.document_ids) for i in items]
        )
        scored_tokens = [len(i.scored_ids) for i in items]
        scorers["perplexity_with_end"] = {m: perplexity_scorer(outputs[m]["nll_with_end"], scored_tokens) for m in models}
        weights = bootstrap_weights(len(items), ev.bootstrap_samples, ev.seed)
        metrics = {name: compare(scorers[name], weights, ev.confidence, METRICS.get(name, (None, "lower"))[1]) for name in TEXT_METRICS}
        labels = {**LABELS, **({"control": f"{self.control.brand}'s texts"} if self.control else {})}
        control = (self.control.brand, self.control.texts) if self.control else None
        close = self.closeness = closeness(
            written, [self.cut(t) for t in truths], control, self.train_texts, self.copy_rule, weights, ev=ev, labels=labels, models=models
        )
        metrics.update(close["metrics"])
        plain = {**answers, "truth": truths}
        style_sources = {**style_scorers(plain), **{name: {s: scorers[name][s] for s in plain} for name in SHARED}}
        better = {**{name: "truth" for name in STYLE}, **{name: METRICS[name][1] for name in SHARED}}
        style = {name: compare(by_system, weights, ev.confidence, better[name]) for name, by_system in style_sources.items()}
        sentences = [
            verdict(
                metrics["perplexity"],
                ev.confidence,
                len(items),
                subject="Writing test: the tuned model's perplexity of the true documents given their requests",
                texts="held-out requests",
                what="the brand's documents, given their requests,",
            ),
            *close["sentences"],
            *([prompting_sentence(metrics, self.prompted.examples)] if self.prompted else []),
            floor_sentence(metrics, "Writing test", models),
        ]
        present = [*models, *COPY_FLOORS, *(["control"] if self.control else []), "truth"]
        return {
            "requests": len(items),
            "decoding": {**self.decoding.describe(), "max_new_tokens": ev.write_max_new_tokens},
            "chat_template": "the tuned model folder's tokenizer (the trained template)",
            "systems": [{"name": s, "label": labels[s], "kind": KINDS[s]} for s in present],
            "prompted": self.prompted.describe() if self.prompted else None,
            "verdict": sentences,
            "metrics": metrics,
            "metric_labels": {name: METRIC_LABELS[name] for name in metrics},
            "signatures": signatures,
            "style": style,
            "two_sample": close["two_sample"],
            "copying": close["copying"],
            "seconds": {m: outputs[m]["seconds"] for m in models},
            "samples": [
                {"request": items[i].request, "truth": items[i].truth, "answers": {m: answers[m][i] for m in models}}
                for i in range(min(ev.samples_in_report, len(items)))
            ],
        }

    def rows(self, outputs: dict[str, dict]) -> list[dict]:
        """writing.jsonl: one row per held-out request (after `report`, whose copy check marks them)."""
        models, copies = self.systems, self.closeness["copies"]
        return [
            {
                "test_index": item.index,
                "source": item.source,
                "url": item.url,
                "request": item.request,
                "truth": item.truth,
                "answers": {m: outputs[m]["answers"][i] for m in models},
                "floors": {f: self.floors[f]["texts"][i] for f in COPY_FLOORS},
                "floor_train_index": {f: self.floors[f]["train_index"][i] for f in COPY_FLOORS},
                "fewshot_train_index": self.prompted.train_index[i] if self.prompted else None,
                "perplexity": {m: float(np.exp(outputs[m]["nll"][i] / len(item.document_ids))) for m in models},
                "perplexity_with_end": {m: float(np.exp(outputs[m]["nll_with_end"][i] / len(item.scored_ids))) for m in models},
                "copies": {s: copies[s][i] for s in (*models, *COPY_FLOORS, "truth")},
            }
            for i, item in enumerate(self.items)
        ]
