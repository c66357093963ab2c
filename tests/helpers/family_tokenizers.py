"""Small tokenizers with the shapes of real model families, built here with the tokenizers library.

- `llama3`: Llama-3.1 Instruct: byte-level BPE, no unk, no pad, `<|begin_of_text|>` added in front,
  eos_token `<|eot_id|>` (the end of a chat turn) beside `<|end_of_text|>`, reserved special tokens
  including `<|finetune_right_pad_id|>`.
- `llama3.0`: the same without `<|finetune_right_pad_id|>` (Llama-3.0 has only `<|reserved_special_token_N|>`).
- `llama2`: Llama-2 chat: `<s>` in front, `</s>` ends texts and turns, `<unk>`, no pad.
- `chatml`: SmolLM2 / Qwen Instruct: no leading token, eos_token `<|im_end|>` (end of turn), `<|endoftext|>`,
  no spare special token at all.

Each is trained on the test brand's posts (a few hundred tokens of vocabulary), so tiny random
Llamas stay small and every stage runs on it as on the real family.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers.corpus import brand_posts
from tests.helpers.tiny_llama import write_tiny_llama

LLAMA3_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\n\n'"
    " + m['content'] + '<|eot_id|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)
LLAMA2_TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'user' %}{{ bos_token + '[INST] ' + m['content'] + ' [/INST]' }}"
    "{% else %}{{ ' ' + m['content'] + ' ' + eos_token }}{% endif %}{% endfor %}"
)
CHATML_TEMPLATE = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

FAMILIES = {
    "llama3": {
        "specials": [
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|reserved_special_token_0|>",
            "<|reserved_special_token_1|>",
            "<|finetune_right_pad_id|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
        ],
        "bos": "<|begin_of_text|>",
        "eos": "<|eot_id|>",
        "unk": None,
        "template": LLAMA3_TEMPLATE,
        "end_of_text": "<|end_of_text|>",
        "end_of_turn": "<|eot_id|>",
        "pad": "<|finetune_right_pad_id|>",
    },
    "llama3.0": {
        "specials": [
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|reserved_special_token_0|>",
            "<|reserved_special_token_1|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
        ],
        "bos": "<|begin_of_text|>",
        "eos": "<|eot_id|>",
        "unk": None,
        "template": LLAMA3_TEMPLATE,
        "end_of_text": "<|end_of_text|>",
        "end_of_turn": "<|eot_id|>",
        "pad": "<|reserved_special_token_0|>",
    },
    "llama2": {
        "specials": ["<unk>", "<s>", "</s>"],
        "bos": "<s>",
        "eos": "</s>",
        "unk": "<unk>",
        "template": LLAMA2_TEMPLATE,
        "end_of_text": "</s>",
        "end_of_turn": "</s>",
        "pad": "<unk>",
    },
    "chatml": {
        "specials": ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        "bos": None,
        "eos": "<|im_end|>",
        "unk": None,
        "template": CHATML_TEMPLATE,
        "end_of_text": "<|endoftext|>",
        "end_of_turn": "<|im_end|>",
        "pad": "<|pad|>",  # added
    },
}


def build_tokenizer(family: str, vocab_size: int = 400):
    """A PreTrainedTokenizerFast of `family`'s shape, trained on the test brand's posts."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    shape = FAMILIES[family]
    if shape["unk"]:  # sentencepiece-like: words start with ▁, unknown characters map to <unk>
        backend = Tokenizer(models.BPE(unk_token=shape["unk"]))
        backend.pre_tokenizer = pre_tokenizers.Metaspace()
        backend.decoder = decoders.Metaspace()
        alphabet = []
    else:  # byte-level: every byte is in the vocabulary, so nothing is unknown
        backend = Tokenizer(models.BPE())
        backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        backend.decoder = decoders.ByteLevel()
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=shape["specials"], initial_alphabet=alphabet, show_progress=False)
    backend.train_from_iterator(brand_posts(60, seed=11), trainer=trainer)
    if shape["bos"]:
        backend.post_processor = processors.TemplateProcessing(
            single=f"{shape['bos']} $A", pair=f"{shape['bos']} $A $B", special_tokens=[(shape["bos"], backend.token_to_id(shape["bos"]))]
        )
    elif not shape["unk"]:
        backend.post_processor = processors.ByteLevel(trim_offsets=True)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=shape["bos"],
        eos_token=shape["eos"],
        unk_token=shape["unk"],
        additional_special_tokens=[t for t in shape["specials"] if t not in (shape["bos"], shape["eos"], shape["unk"])],
    )
    tokenizer.chat_template = shape["template"]
    return tokenizer


def save_tiny_llama(family: str, folder: Path) -> Path:
    """A tiny random Llama (2 layers, hidden 64) with `family`'s tokenizer, saved as a model folder."""
    return write_tiny_llama(build_tokenizer(family), folder, max_positions=512, tie_word_embeddings=False)
