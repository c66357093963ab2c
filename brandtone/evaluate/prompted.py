"""The prompted baseline: the base model shown the brand's own posts, what a user tries before fine-tuning.

For each request, the `evaluate.fewshot_examples` training posts nearest to it (TF-IDF over the
training texts, as the retrieval floor finds its one) go before it in the chat template as earlier
exchanges: each post's own writing request (stage 3's `messages`) answered by the post, the nearest
last, next to the request. Each post is cut to the answers' token cap (`evaluate.write_max_new_tokens`),
as the floors are, so an example is as long as an answer may be. The base model then answers with the
writing test's decoding: if fine-tuning does not beat this, the brand did not need it.

Every prompt is built before any model runs, so a number of examples that does not fit the model's
context (with room for an answer) is one line naming the key and the number that fits.
"""

from __future__ import annotations

from typing import Optional

from brandtone.config import ConfigError
from brandtone.evaluate.metrics import TfidfIndex
from brandtone.textformat import chat_prompt_ids, text_ids

KEY = "evaluate.fewshot_examples"


class FewShotPrompts:
    """The prompted baseline's prompt for each request, and which training posts it shows."""

    def __init__(
        self,
        tokenizer,
        requests: list[str],
        train_texts: list[str],
        train_requests: list[str],
        examples: int,
        answer_tokens: int,
        max_positions: Optional[int],
        model: str,
    ):
        self.tokenizer, self.examples = tokenizer, min(examples, len(train_texts))
        index = TfidfIndex(train_texts)
        self.train_index = [list(reversed(index.nearest_k(request, self.examples))) for request in requests]  # nearest last
        shown: dict[int, tuple[str, str]] = {}

        def example(i: int) -> tuple[str, str]:  # a post cut to the answers' cap, after its own request
            if i not in shown:
                shown[i] = (train_requests[i], tokenizer.decode(text_ids(tokenizer, train_texts[i])[:answer_tokens]))
            return shown[i]

        def prompts(count: int) -> list[list[int]]:
            return [
                chat_prompt_ids(tokenizer, request, [example(i) for i in picked[len(picked) - count :]] if count else [])
                for request, picked in zip(requests, self.train_index)
            ]

        self.prompt_ids = prompts(self.examples)
        self.shown = {i: shown[i] for picked in self.train_index for i in picked}
        if max_positions is None:
            return
        room = max_positions - answer_tokens
        longest = max((len(p) for p in self.prompt_ids), default=0)
        if longest > room:
            fits = next((count for count in range(self.examples - 1, -1, -1) if max(len(p) for p in prompts(count)) <= room), 0)
            raise ConfigError(
                f"{KEY}={examples}: the prompted baseline's longest prompt ({longest} tokens) and an answer of "
                f"evaluate.write_max_new_tokens={answer_tokens} do not fit {model}'s context of {max_positions} tokens; "
                + (
                    f"{fits} {'example fits' if fits == 1 else 'examples fit'}: set {KEY}={fits}"
                    if fits
                    else f"no example fits: set {KEY}=0 (no prompted baseline) or lower evaluate.write_max_new_tokens"
                )
            )

    def describe(self) -> dict:
        return {
            "examples": self.examples,
            "chosen_by": "TF-IDF similarity of the request to the training texts (nearest last)",
            "example_tokens": "each post cut to evaluate.write_max_new_tokens, after its own stage-3 request",
        }
