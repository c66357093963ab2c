"""The Write view of `06_evaluate.py --serve`: `--write` in the browser.

A request goes to the tuned model (and, when the user asks, to the other systems beside it) in the trained
chat format with the writing test's decoding (evaluate.write_*, seed evaluate.seed), so the page writes what
`--write` and the writing test would. Tokens stream to the page as they come. Each model is loaded once per
server, on its first request, and kept; one request is generated at a time.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Iterator

from brandtone.evaluate.models import ModelPair, load_model, resolve_models
from brandtone.evaluate.prompted import FewShotPrompts
from brandtone.evaluate.writing import chat_tokenizer, training_examples
from brandtone.generation import Decoding, auto_batch_tokens, generate
from brandtone.textformat import chat_prompt_ids, end_ids

log = logging.getLogger(__name__)


class Writer:
    """`examples`: the training split's (texts, requests) for the prompted baseline (the base model shown the
    evaluate.fewshot_examples posts nearest to the request, as in the writing test); None leaves it out."""

    def __init__(self, config, pair: ModelPair, examples: tuple[list[str], list[str]] | None = None):
        self.config, self.pair, self.examples = config, pair, examples
        self.tokenizer = chat_tokenizer(pair)
        self.decoding = Decoding.for_writing(config.evaluate)
        self.max_new_tokens = config.evaluate.write_max_new_tokens
        # the tuned model's answer first; the others beside it on request
        self.systems = ("tuned", "base") + (("prompted",) if examples and config.evaluate.fewshot_examples else ())
        self._models: dict[str, object] = {}
        self._lock = threading.Lock()  # one generation at a time, on one copy of each model

    @classmethod
    def for_config(cls, config) -> "Writer":
        """The Write view's systems as the config names them; the prompted baseline only where the dataset is at hand
        (an eval folder copied to a laptop has none)."""
        dataset_dir = Path(config.paths.dataset_dir)
        at_hand = config.evaluate.fewshot_examples and (dataset_dir / "manifest.json").is_file()
        return cls(config, resolve_models(config), training_examples(dataset_dir) if at_hand else None)

    def describe(self) -> dict:
        return {"systems": list(self.systems), "decoding": {**self.decoding.describe(), "max_new_tokens": self.max_new_tokens}}

    def prompt(self, system: str, request: str) -> list[int]:
        if system != "prompted":
            return chat_prompt_ids(self.tokenizer, request)
        texts, requests = self.examples
        return FewShotPrompts(
            self.tokenizer,
            [request],
            texts,
            requests,
            self.config.evaluate.fewshot_examples,
            self.max_new_tokens,
            self.pair.max_positions,
            self.pair.base,
        ).prompt_ids[0]

    def stream(self, system: str, request: str) -> Iterator[str]:
        """The system's answer to `request`, piece by piece as it is generated."""
        from transformers import TextIteratorStreamer

        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        prompt = self.prompt(system, request)
        # The generation runs in its own thread and always ends the stream, so a closed browser tab cannot keep the lock.
        threading.Thread(target=self._generate, args=(system, prompt, streamer), daemon=True).start()
        yield from streamer

    def _generate(self, system: str, prompt: list[int], streamer) -> None:
        try:
            with self._lock:
                model = self._model(system)
                run = lambda: generate(  # noqa: E731
                    model,
                    [prompt],
                    [self.max_new_tokens],
                    decoding=self.decoding,
                    seed=self.decoding.seeds[0],
                    batch_tokens=self.config.evaluate.batch_tokens or auto_batch_tokens(model),
                    eos=end_ids(self.tokenizer),
                    pad=self.tokenizer.pad_token_id,
                    streamer=streamer,
                )
                if system != "tuned" and self.pair.tuned_kind == "adapter":
                    with model.disable_adapter():  # the base model is the adapter's own base weights
                        run()
                else:
                    run()
        except Exception as exc:  # shown in the answer's box; the server goes on
            log.exception("the %s model failed to answer", system)
            streamer.on_finalized_text(
                f"\n[the {system} model failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}]", stream_end=True
            )

    def _model(self, system: str):
        """Loaded on first use and kept; with an adapter, base and tuned share one copy of the base weights."""
        name = "tuned" if self.pair.tuned_kind == "adapter" else "base" if system == "prompted" else system
        if name not in self._models:
            self._models[name] = load_model(self.pair, self.config, name)
        return self._models[name]
