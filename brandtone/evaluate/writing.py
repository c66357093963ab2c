"""Stage 6's writing test: each held-out document's request (stage 3's `messages`) goes to the base
and the tuned model in the shared chat format (brandtone.textformat), and the answers are compared
with the document the brand actually wrote.

Both models read the same prompt ids, rendered with one tokenizer: the tuned model's folder's, which
carries the chat template it was trained with (a tokenizer without one gets the plain template, as
stage 4 gives it), and decode identically (evaluate.write_*: sampling with evaluate.seed by default).
Measured, with paired bootstrap intervals over the documents:
- the conditional perplexity of the true document (its tokens and the end-of-turn) given its request;
- BLEU, chrF and ROUGE-L of the answers against the true documents, beside two floors: a random
  training text and the training text nearest to the request by TF-IDF, each cut to the answers' cap;
- the brand-voice classifier (brandtone.evaluate.voice) on tuned answers, base answers and true texts;
- style statistics against the true texts (brandtone.evaluate.style).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from brandtone.evaluate.findings import floor_sentence, verdict
from brandtone.evaluate.floors import COPY_FLOORS, copy_floors
from brandtone.evaluate.metrics import METRICS, bootstrap_weights, build_scorers, compare
from brandtone.evaluate.style import SHARED, STYLE, style_scorers
from brandtone.evaluate.voice import brand_voice, voice_sentence
from brandtone.generation import Decoding, auto_batch_tokens, generate, truth_nll
from brandtone.models import load_tokenizer
from brandtone.textformat import (
    chat_prompt_ids, check_chat_template, encode_chat, end_ids, request_and_answer, text_ids, use_chat_template,
)

MODELS = ("base", "tuned")
TEXT_METRICS = ("perplexity", "bleu", "chrf", "rouge_l")


@dataclass(frozen=True)
class Request:
    """One held-out document as the writing test sees it."""

    index: int  # row in the test split
    source: str
    url: str
    request: str
    truth: str  # the document the brand wrote
    prompt_ids: list[int]  # the chat template's generation prompt for the request
    answer_ids: list[int]  # the document's tokens and the end-of-turn: what its perplexity scores


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


class WritingTest:
    """Prepared once (requests, classifier requests, floors), run on each model, then scored."""

    def __init__(self, config, pair, train, test):
        ev = self.ev = config.evaluate
        self.tokenizer = tokenizer = chat_tokenizer(pair)
        self.decoding = Decoding.for_writing(ev)
        where = Path(config.paths.dataset_dir)
        self.items = []
        for index, row in enumerate(test):
            request = request_of(row, f"{where} test row {index}")
            example = encode_chat(tokenizer, request, row["text"])
            room = max(1, (pair.max_positions or 10**9) - len(example.prompt_ids))  # the context holds request + document
            self.items.append(Request(index, row.get("source") or "", row.get("url") or "", request, row["text"],
                                      example.prompt_ids, example.answer_ids[:room]))
        self.items = self.items[: ev.max_texts]
        # The classifier's training pairs: a seeded sample of training requests with the brand's own answers.
        rng = np.random.default_rng(ev.seed)
        picked = sorted(rng.choice(len(train), size=min(ev.write_classifier_requests, len(train)), replace=False).tolist())
        self.classifier_brand = [train[i]["text"] for i in picked]
        self.classifier_prompts = [chat_prompt_ids(tokenizer, request_of(train[i], f"{where} train row {i}")) for i in picked]
        self.floors = self._floors(list(train["text"]))

    def _floors(self, train_texts: list[str]) -> dict:
        """A random training text, and the one nearest to the request, cut to the answers' cap."""
        return copy_floors([i.request for i in self.items], [self.ev.write_max_new_tokens] * len(self.items), train_texts,
                           lambda i: text_ids(self.tokenizer, train_texts[i]), self.tokenizer, self.ev.seed)

    def run(self, name: str, model, log) -> dict:
        """Perplexity of the true documents, the answers, and (base only) the classifier's answers."""
        batch_tokens = self.ev.batch_tokens or auto_batch_tokens(model)
        started = time.time()
        nll = truth_nll(model, [i.prompt_ids for i in self.items], [i.answer_ids for i in self.items],
                        batch_tokens=batch_tokens, pad=self.tokenizer.pad_token_id)
        scored = time.time()
        answers = self._answer(model, [i.prompt_ids for i in self.items], batch_tokens)
        answered = time.time()
        contrast = self._answer(model, self.classifier_prompts, batch_tokens) if name == "base" else []
        finished = time.time()
        log.info("%s, writing test: perplexity %.1f s; %d answers in %.1f s; %d classifier answers in %.1f s",
                 name, scored - started, len(answers), answered - scored, len(contrast), finished - answered)
        return {"nll": nll, "answers": answers, "classifier_answers": contrast,
                "seconds": {"perplexity": round(scored - started, 2), "generation": round(answered - scored, 2),
                            "classifier_answers": round(finished - answered, 2)}}

    def _answer(self, model, prompts: list[list[int]], batch_tokens: int) -> list[str]:
        ids = generate(model, prompts, [self.ev.write_max_new_tokens] * len(prompts), decoding=self.decoding,
                       seed=self.decoding.seeds[0], batch_tokens=batch_tokens, eos=end_ids(self.tokenizer),
                       pad=self.tokenizer.pad_token_id)
        return [self.tokenizer.decode(i, skip_special_tokens=True) for i in ids]

    def report(self, outputs: dict) -> dict:
        """report.json's `writing` section: metrics, classifier, style, verdict sentences."""
        ev, items = self.ev, self.items
        answers = {m: outputs[m]["answers"] for m in MODELS}
        truths = [i.truth for i in items]
        texts = {**{m: [[a] for a in answers[m]] for m in MODELS}, **{f: [[t] for t in self.floors[f]["texts"]] for f in COPY_FLOORS},
                 "truth": [[t] for t in truths]}
        lengths = {**{m: [[len(text_ids(self.tokenizer, a))] for a in answers[m]] for m in MODELS},
                   **{f: [[n] for n in self.floors[f]["lengths"]] for f in COPY_FLOORS},
                   "truth": [[len(i.answer_ids) - 1] for i in items]}
        scorers, signatures = build_scorers(texts, lengths, truths, {m: outputs[m]["nll"] for m in MODELS},
                                            [len(i.answer_ids) for i in items])
        weights = bootstrap_weights(len(items), ev.bootstrap_samples, ev.seed)
        metrics = {name: compare(scorers[name], weights, ev.confidence, METRICS[name][1]) for name in TEXT_METRICS}
        plain = {**answers, "truth": truths}
        style_sources = {**style_scorers(plain), **{name: {s: scorers[name][s] for s in plain} for name in SHARED}}
        better = {**{name: "truth" for name in STYLE}, **{name: METRICS[name][1] for name in SHARED}}
        style = {name: compare(by_system, weights, ev.confidence, better[name]) for name, by_system in style_sources.items()}
        voice = self.voice = brand_voice(self.classifier_brand, outputs["base"]["classifier_answers"], {**answers, "truth": truths}, weights,
                            confidence=ev.confidence, bootstrap_samples=ev.bootstrap_samples, seed=ev.seed)
        sentences = [
            verdict(metrics["perplexity"], ev.confidence, len(items), subject="Writing test: the tuned model's perplexity of the "
                    "true documents given their requests", texts="held-out requests", what="the brand's documents, given their requests,"),
            voice_sentence(voice, ev.confidence),
            floor_sentence(metrics, "Writing test"),
        ]
        return {
            "requests": len(items), "decoding": {**self.decoding.describe(), "max_new_tokens": ev.write_max_new_tokens},
            "chat_template": "the tuned model folder's tokenizer (the trained template)",
            "verdict": sentences, "metrics": metrics, "signatures": signatures, "style": style,
            "classifier": {k: v for k, v in voice.items() if k != "calls"}, "classifier_requests": len(self.classifier_prompts),
            "seconds": {m: outputs[m]["seconds"] for m in MODELS},
            "samples": [{"request": items[i].request, "truth": items[i].truth, "base": answers["base"][i], "tuned": answers["tuned"][i]}
                        for i in range(min(ev.samples_in_report, len(items)))],
        }

    def rows(self, outputs: dict) -> list[dict]:
        """writing.jsonl: one row per held-out request (after `report`, whose classifier labels them)."""
        calls = self.voice.get("calls") or {}
        return [
            {"test_index": item.index, "source": item.source, "url": item.url, "request": item.request, "truth": item.truth,
             **{m: outputs[m]["answers"][i] for m in MODELS}, **{f: self.floors[f]["texts"][i] for f in COPY_FLOORS},
             **{f"{f}_train_index": self.floors[f]["train_index"][i] for f in COPY_FLOORS},
             "perplexity": {m: float(np.exp(outputs[m]["nll"][i] / len(item.answer_ids))) for m in MODELS},
             "classifier_says_brand": {s: bool(calls[s][i]) for s in calls}}
            for i, item in enumerate(self.items)
        ]
