"""Instruction back-translation: the base model writes the request that would have produced each document.

`dataset.requests: model`. Every document goes into one prompt (PROMPT, rendered
with the base model's own chat template; a plain "Request:" cue for a model
without one), and the model answers with greedy decoding, batched and
length-sorted by stage 6's generation loop, on `finetune.device` (a GPU when
there is one). Meant for a real instruction-tuned base on a GPU; on a tiny or
weak model many answers are empty or copy the document, and stage 3 then uses
the keyword request instead (brandtone.dataset.requests counts each case).
"""

from __future__ import annotations

import logging

from brandtone.config_schema import Config
from brandtone.dataset.channels import channel_name, with_article

log = logging.getLogger(__name__)

PROMPT = (
    "Here is {a_channel} that a brand published:\n\n{document}\n\n"
    "What request would the brand's marketer have typed to get this {channel} written? "
    "Reply with that request only, in one or two sentences, without quoting the {channel}."
)
PLAIN_CUE = "\n\nRequest:"  # for a base model without a chat template
DOCUMENT_WORDS = 300  # a longer document is shown cut to its first words: the gist is enough for a request
MAX_NEW_TOKENS = 64  # a request is one or two sentences
_PREFIXES = ("request:", "the request:", "sure,", "sure!", "here is the request:")


def prompt_text(tokenizer, document: str, source: str) -> str:
    channel = channel_name(source)
    shown = " ".join(document.split()[:DOCUMENT_WORDS])
    content = PROMPT.format(a_channel=with_article(channel), channel=channel, document=shown)
    if tokenizer.chat_template:
        return tokenizer.apply_chat_template([{"role": "user", "content": content}], add_generation_prompt=True, tokenize=False)
    return (tokenizer.bos_token or "") + content + PLAIN_CUE


def clean_reply(reply: str) -> str:
    """The request in a model's reply: its first non-empty line, without a leading label or quotes."""
    line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
    for prefix in _PREFIXES:
        if line.lower().startswith(prefix):
            line = line[len(prefix) :].strip()
    return line.strip("\"'“”‘’ ").strip()


def generate_requests(docs: list[dict], config: Config) -> list[str]:
    """The base model's request for each document, in `docs` order ("" where it wrote none)."""
    import torch

    from brandtone.generation import Decoding, auto_batch_tokens, generate, neutral_generation_defaults
    from brandtone.models import fit_embeddings, load_causal_lm, load_tokenizer, resolve_device, resolve_dtype

    device = resolve_device(config.finetune.device)
    dtype = resolve_dtype("auto", device)
    tokenizer = load_tokenizer(config.model.base, config.model)
    model = load_causal_lm(config.model.base, model=config.model, dtype=dtype, device=device).eval()
    fit_embeddings(model, tokenizer)  # an added pad token needs its row, as in stages 4 to 6
    eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
    neutral_generation_defaults(model, eos, pad)
    prompts = [tokenizer(prompt_text(tokenizer, doc["text"], doc["source"]), add_special_tokens=False)["input_ids"] for doc in docs]
    log.info(
        "the base model writes %d requests on %s (%s, greedy, at most %d new tokens each)",
        len(prompts),
        device,
        str(dtype).removeprefix("torch."),
        MAX_NEW_TOKENS,
    )
    new = generate(
        model,
        prompts,
        [MAX_NEW_TOKENS] * len(prompts),
        decoding=Decoding(False, 1.0, 1.0, (config.dataset.seed,)),
        seed=config.dataset.seed,
        batch_tokens=auto_batch_tokens(model),
        eos=eos,
        pad=pad,
    )
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return [clean_reply(tokenizer.decode(ids, skip_special_tokens=True)) for ids in new]
