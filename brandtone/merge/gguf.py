"""A merged Llama-family folder as one GGUF file, for llama.cpp and Ollama (`merge.gguf`).

Written with the `gguf` library (gguf-py, llama.cpp's own Python package): its writer, its
tensor-name map for MODEL_ARCH.LLAMA, its SpecialVocab (merges, special token ids, chat
template) and its Q8_0 quantiser. What is ours is the glue, and three things llama.cpp expects
that a transformers folder does not say the same way:

- q and k projections are stored with each head's rows interleaved in pairs (llama.cpp applies
  rope to adjacent pairs, transformers to the two halves of a head), so `rope_interleave` reorders
  them; transformers' GGUF loader undoes exactly that when it reads the file back;
- the vocabulary is a list of token strings with a type each (normal, control, user-defined,
  byte, unknown, unused) and, for SentencePiece-style vocabularies, a score each: the tokenizer's
  BPE merge order, which llama.cpp's SentencePiece tokeniser follows;
- the tokenizer's pre-tokenizer is named (`tokenizer.ggml.pre`), not described.

Only tokenizers both llama.cpp and transformers' GGUF loader rebuild exactly are exported:
byte-level BPE (GPT-2 style: SmolLM2, Llama-3, Qwen) and SentencePiece-style BPE (Llama-2,
Mistral); anything else is refused in one line, as are rope scaling and biased projections,
which transformers' loader would not read back the same.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from brandtone import atomic
from brandtone.errors import StageError


def gguf_name(kind: str) -> str:
    return f"model-{kind}.gguf"


def check_exportable(model_config: dict, model: str, tokenizer_folder: Path) -> None:
    """Raise StageError (one line) unless this writer exports the model exactly: before any merging."""
    _check_architecture(model_config, model)
    tokenizer_kind(json.loads((Path(tokenizer_folder) / "tokenizer.json").read_text(encoding="utf-8")), tokenizer_folder)


def adds_bos(tokenizer) -> bool:
    """Whether a prompt starts with BOS: what the tokenizer does (the GGUF flag llama.cpp follows)."""
    from brandtone.textformat import leading_special_ids

    return tokenizer.bos_token_id is not None and tokenizer.bos_token_id in leading_special_ids(tokenizer)


def _check_architecture(config: dict, folder) -> None:
    if config.get("model_type") != "llama":
        raise StageError(
            f"merge.gguf: {folder} holds a {config.get('model_type')!r} model; GGUF export writes Llama-architecture"
            " models only: set merge.gguf=null"
        )
    rope = config.get("rope_parameters") or config.get("rope_scaling") or {}
    if rope.get("rope_type", rope.get("type", "default")) != "default":
        raise StageError(
            f"merge.gguf: {folder} uses {rope.get('rope_type', rope.get('type'))!r} rope scaling, which transformers'"
            " GGUF loader does not read back, so the file could not be checked: set merge.gguf=null"
        )
    if config.get("attention_bias") or config.get("mlp_bias"):
        raise StageError(f"merge.gguf: {folder} has biased projections, which this GGUF writer does not export: set merge.gguf=null")


def tokenizer_kind(tokenizer_json: dict, folder: Path) -> tuple[str, str]:
    """(`tokenizer.ggml.model`, `tokenizer.ggml.pre`) for a tokenizer.json, or StageError."""
    model = tokenizer_json.get("model", {})
    decoder = json.dumps(tokenizer_json.get("decoder"))
    if model.get("type") == "BPE" and '"ByteLevel"' in decoder and not model.get("byte_fallback"):
        return "gpt2", _byte_level_pre(tokenizer_json.get("pre_tokenizer"), folder)
    if model.get("type") == "BPE" and ("\u2581" in decoder or '"Metaspace"' in decoder):
        return "llama", "default"
    raise StageError(
        f"merge.gguf: the tokenizer in {folder} is a {model.get('type')} tokenizer this writer cannot describe in GGUF"
        " (it exports byte-level BPE, as SmolLM2 and Llama-3, and SentencePiece-style BPE, as Llama-2): set merge.gguf=null"
    )


def _byte_level_pre(pre_tokenizer: dict | None, folder: Path) -> str:
    """llama.cpp's name for the way a byte-level tokenizer splits text before BPE."""
    from transformers.integrations.gguf.gguf_tokenizer_mapping import GGUF_PRE_TOKENIZER_SPLITS

    if pre_tokenizer and pre_tokenizer.get("type") == "ByteLevel" and pre_tokenizer.get("use_regex", True):
        return "gpt2"  # GPT-2's own split, which both readers apply when the name is gpt2
    steps = (pre_tokenizer or {}).get("pretokenizers", [])
    splits = [s.get("pattern", {}).get("Regex") for s in steps if s.get("type") == "Split"]
    if len(splits) == 1:
        # the names transformers' reader maps back to a regex are names llama.cpp knows too
        names = [name for name, regex in GGUF_PRE_TOKENIZER_SPLITS.items() if regex == splits[0]]
        if names:
            return names[0]
    raise StageError(
        f"merge.gguf: the byte-level tokenizer in {folder} splits text in a way GGUF cannot name"
        f" ({json.dumps(pre_tokenizer)[:120]}): set merge.gguf=null"
    )


def vocabulary(tokenizer, tokenizer_json: dict, model_kind: str, rows: int) -> tuple[list[str], list[float], list[int]]:
    """Token strings, scores and types for every embedding row (rows past the tokenizer are UNUSED)."""
    from gguf import TokenType

    added = {token.content: token for token in tokenizer.added_tokens_decoder.values()}
    by_id = {index: text for text, index in tokenizer.get_vocab().items()}
    merge_rank = {}
    if model_kind == "llama":  # llama.cpp's SentencePiece tokeniser merges the best-scored pair first
        for rank, merge in enumerate(tokenizer_json["model"].get("merges", [])):
            left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
            merge_rank.setdefault(left + right, rank)
    tokens, scores, types = [], [], []
    for index in range(rows):
        text = by_id.get(index)
        if text is None:
            text, kind = f"[PAD{index}]", TokenType.UNUSED
        elif text in added:
            kind = TokenType.CONTROL if added[text].special else TokenType.USER_DEFINED
            if text == tokenizer.unk_token and model_kind == "llama":
                kind = TokenType.UNKNOWN
        elif model_kind == "llama" and len(text) == 6 and text.startswith("<0x") and text.endswith(">"):
            kind = TokenType.BYTE
        else:
            kind = TokenType.NORMAL
        tokens.append(text)
        scores.append(-float(merge_rank[text]) if text in merge_rank else 0.0)
        types.append(int(kind))
    return tokens, scores, types


def rope_interleave(weight: np.ndarray, heads: int) -> np.ndarray:
    """Rows of a q or k projection from transformers' half-split rope layout to llama.cpp's
    pairwise one: within each head, rows (0, d/2), (1, d/2+1), ... become neighbours."""
    half = weight.shape[0] // heads // 2
    return weight.reshape(heads, 2, half, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def write_gguf(folder: Path, kind: str, name: str, log) -> Path:
    """Write `folder`/model-<kind>.gguf from the model folder's shards, config and tokenizer (atomically)."""
    import gguf
    from safetensors import safe_open
    from transformers import AutoTokenizer

    from brandtone.textformat import end_of_turn_id

    logging.getLogger("gguf").setLevel(logging.WARNING)  # its per-file INFO lines say nothing the stage's log does not
    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    _check_architecture(config, folder)
    tokenizer_json = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    model_kind, pre = tokenizer_kind(tokenizer_json, folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)

    shards = sorted(folder.glob("*.safetensors"))
    handles = [safe_open(str(shard), framework="pt") for shard in shards]
    where = {key: handle for handle in handles for key in handle.keys()}
    layers = config["num_hidden_layers"]
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, layers)
    tied = config.get("tie_word_embeddings", False)
    plan = []  # (gguf name, hf key, heads to interleave or 0)
    for key in where:
        if tied and key == "lm_head.weight":
            continue  # llama.cpp reuses token_embd when output.weight is absent; transformers reads that as tied
        stem, suffix = key.rsplit(".", 1)
        target = names.get_name(stem)
        if target is None:
            raise StageError(f"merge.gguf: {folder} has a tensor {key} the Llama GGUF layout has no place for: set merge.gguf=null")
        heads = (
            config["num_attention_heads"] if stem.endswith("q_proj") else config["num_key_value_heads"] if stem.endswith("k_proj") else 0
        )
        plan.append((f"{target}.{suffix}", key, heads))
    rows = where["model.embed_tokens.weight"].get_slice("model.embed_tokens.weight").get_shape()[0]

    qtype = gguf.GGMLQuantizationType.F16 if kind == "f16" else gguf.GGMLQuantizationType.Q8_0
    file_type = gguf.LlamaFileType.MOSTLY_F16 if kind == "f16" else gguf.LlamaFileType.MOSTLY_Q8_0
    path = folder / gguf_name(kind)
    with atomic.output_file(path) as tmp:
        writer = gguf.GGUFWriter(str(tmp), "llama")
        writer.add_type("model")
        writer.add_name(name)
        writer.add_context_length(config["max_position_embeddings"])
        writer.add_embedding_length(config["hidden_size"])
        writer.add_block_count(layers)
        writer.add_feed_forward_length(config["intermediate_size"])
        writer.add_head_count(config["num_attention_heads"])
        writer.add_head_count_kv(config["num_key_value_heads"])
        writer.add_rope_dimension_count(config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"])
        writer.add_rope_freq_base((config.get("rope_parameters") or {}).get("rope_theta", config.get("rope_theta", 10000.0)))
        writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
        writer.add_vocab_size(rows)
        writer.add_file_type(file_type)
        writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

        tokens, scores, types = vocabulary(tokenizer, tokenizer_json, model_kind, rows)
        writer.add_tokenizer_model(model_kind)
        writer.add_tokenizer_pre(pre)
        writer.add_token_list(tokens)
        writer.add_token_types(types)
        if model_kind == "llama":
            writer.add_token_scores(scores)
        special = gguf.SpecialVocab(folder, load_merges=True, n_vocab=rows)
        # whether a text starts with BOS is what the tokenizer does, not what a template suggests
        special.add_special_token = {"bos": adds_bos(tokenizer), "eos": False}
        if end_of_turn_id(tokenizer) != tokenizer.eos_token_id:
            special.special_token_ids["eot"] = end_of_turn_id(tokenizer)
        special.add_to_gguf(writer, quiet=True)

        for target, key, heads in plan:  # shapes first (the header), then the data, one tensor in memory at a time
            shape = where[key].get_slice(key).get_shape()
            data_type, nbytes = _stored_as(shape, qtype)
            if data_type == gguf.GGMLQuantizationType.Q8_0:  # the writer takes a quantised tensor's shape in bytes
                writer.add_tensor_info(target, gguf.quant_shape_to_byte_shape(shape, data_type), np.dtype(np.uint8), nbytes, data_type)
            else:
                writer.add_tensor_info(target, shape, np.dtype(_numpy_dtype(data_type)), nbytes, data_type)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for target, key, heads in plan:
            weight = where[key].get_tensor(key).float().numpy()
            if heads:
                weight = rope_interleave(weight, heads)
            data_type, _ = _stored_as(weight.shape, qtype)
            writer.write_tensor_data(
                gguf.quants.quantize(weight, data_type)
                if data_type == gguf.GGMLQuantizationType.Q8_0
                else weight.astype(_numpy_dtype(data_type))
            )
        writer.close()
    log.info("GGUF written: %s (%s, %.1f MB, tokenizer %s/%s)", path, kind, path.stat().st_size / 1e6, model_kind, pre)
    return path


def _stored_as(shape, qtype):
    """Norms stay F32 (llama.cpp's convention: tiny, and precision-sensitive); a matrix is F16, or
    Q8_0 when its rows split into Q8_0's 32-value blocks."""
    import gguf

    if len(shape) == 1:
        return gguf.GGMLQuantizationType.F32, 4 * shape[0]
    if qtype == gguf.GGMLQuantizationType.Q8_0 and shape[-1] % 32 == 0:
        block, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
        return qtype, int(np.prod(shape[:-1])) * shape[-1] // block * block_bytes
    return gguf.GGMLQuantizationType.F16, 2 * int(np.prod(shape))


def _numpy_dtype(data_type):
    import gguf

    return np.float32 if data_type == gguf.GGMLQuantizationType.F32 else np.float16
