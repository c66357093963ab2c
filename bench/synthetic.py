"""The benchmark's model and corpus, built locally with fixed seeds.

- A model of a named shape (`SHAPES`: Llama-2-7B, the default, or Llama-3-8B with
  grouped KV heads and its real 128,256-word vocabulary) with random weights
  (throughput does not depend on the weights' values), saved in bf16 with a
  word-level tokenizer in which each word `t<id>` is exactly one token, so token
  counts are known exactly. The corpus uses words below 32,000 only, so every
  shape trains on the same tokens.
- A brand-shaped corpus: 878 training and 98 test texts, 85% short social posts
  (lognormal around 70 tokens) and 15% web pages (around 350 tokens), capped at
  1,024 tokens, the shape of the original workflow's data, each with a writing
  request of 6-20 tokens (stage 3's `messages` column, for the chat format).
  `scale` multiplies the number of training texts (the large-corpus benchmark).
  It is saved as a stage-3 dataset folder (DatasetDict + manifest), so
  04_finetune.py reads it exactly as it reads a real brand's dataset.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOCAB = 32000  # the corpus's words: t3 .. t31999
LLAMA2_7B = dict(
    vocab_size=VOCAB,
    hidden_size=4096,
    intermediate_size=11008,
    num_hidden_layers=32,
    num_attention_heads=32,
    num_key_value_heads=32,
    max_position_embeddings=4096,
    rms_norm_eps=1e-5,
)
LLAMA3_8B = dict(
    vocab_size=128_256,
    hidden_size=4096,
    intermediate_size=14336,
    num_hidden_layers=32,
    num_attention_heads=32,
    num_key_value_heads=8,
    max_position_embeddings=8192,
    rms_norm_eps=1e-5,
    rope_theta=500_000.0,
)
TINY = dict(
    vocab_size=VOCAB,
    hidden_size=128,
    intermediate_size=384,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=4,
    max_position_embeddings=4096,
    rms_norm_eps=1e-5,
)
SHAPES = {"llama2-7b": LLAMA2_7B, "llama3-8b": LLAMA3_8B, "tiny": TINY}


def matmul_params(shape: dict) -> int:
    """Parameters that take part in a token's matrix products: every decoder layer's projections and the
    LM head (the input embeddings are a lookup)."""
    hidden, kv = shape["hidden_size"], shape["hidden_size"] * shape["num_key_value_heads"] // shape["num_attention_heads"]
    per_layer = hidden * (2 * hidden + 2 * kv) + 3 * hidden * shape["intermediate_size"]
    return shape["num_hidden_layers"] * per_layer + shape["vocab_size"] * hidden


def make_tokenizer(vocab: int = VOCAB):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, **{f"t{i}": i for i in range(3, vocab)}}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    backend.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    from tokenizers.processors import TemplateProcessing

    backend.post_processor = TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    return PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="<unk>", bos_token="<s>", eos_token="</s>")


def make_model(folder: Path, shape: str = "llama2-7b") -> float:
    """Build and save the random model of `shape` once; returns seconds spent (0 when it already exists)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    folder = Path(folder)
    if (folder / "config.json").is_file():
        return 0.0
    started = time.time()
    config = LlamaConfig(**SHAPES[shape], bos_token_id=1, eos_token_id=2, pad_token_id=0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    with torch.device(device):
        model = LlamaForCausalLM(config)
    torch.set_default_dtype(torch.float32)
    model.save_pretrained(folder)
    make_tokenizer(SHAPES[shape]["vocab_size"]).save_pretrained(folder)
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return time.time() - started


def corpus_lengths(n: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    lengths = []
    for _ in range(n):
        centre = 70 if rng.random() < 0.85 else 350  # social post or web page
        lengths.append(int(min(max(rng.lognormal(math.log(centre), 0.6 if centre == 70 else 0.7), 8), 1024)))
    return lengths


def make_texts(lengths: list[int], seed: int) -> list[str]:
    rng = np.random.default_rng(seed + 1)
    return [" ".join(f"t{i}" for i in rng.integers(3, VOCAB, size=n)) for n in lengths]


def make_requests(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed + 2)
    return [" ".join(f"t{i}" for i in rng.integers(3, VOCAB, size=rng.integers(6, 21))) for _ in range(n)]


def make_dataset(folder: Path, n_train: int = 878, n_test: int = 98, seed: int = 0) -> dict:
    """Write the corpus as a stage-3 dataset folder; returns token counts (text tokens, no specials)."""
    from datasets import Dataset, DatasetDict

    from brandtone import manifest
    from brandtone.config import load_config
    from brandtone.textformat import conversation

    train_len, test_len = corpus_lengths(n_train, seed), corpus_lengths(n_test, seed + 100)
    columns = lambda texts, split, request_seed: {  # noqa: E731
        "text": texts,
        "source": ["synthetic"] * len(texts),
        "url": [""] * len(texts),
        "date": [""] * len(texts),
        "lang": ["latin"] * len(texts),
        "cluster": [f"{split}-{i}" for i in range(len(texts))],
        "messages": [conversation(request, text) for request, text in zip(make_requests(len(texts), request_seed), texts)],
    }
    dataset = DatasetDict(
        {
            "train": Dataset.from_dict(columns(make_texts(train_len, seed), "train", seed)),
            "test": Dataset.from_dict(columns(make_texts(test_len, seed + 100), "test", seed + 100)),
        }
    )
    folder = Path(folder)
    dataset.save_to_disk(str(folder))
    config = load_config(Path(__file__).resolve().parent.parent / "config.yaml")
    counts = {"train_rows": n_train, "test_rows": n_test, "train_text_tokens": sum(train_len), "test_text_tokens": sum(test_len)}
    manifest.write_manifest(
        folder,
        manifest.build_manifest(
            stage="dataset",
            config=config,
            sections=("dataset",),
            inputs={},
            counts=counts,
            started_at=time.time(),
            extra={"synthetic": "bench/synthetic.py"},
        ),
    )
    return counts


def bench_arguments(description: str):
    """The arguments every GPU bench takes: --work (where the models and corpora live), --shape, --tiny, --scale."""
    import argparse

    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/brandtone-bench"))
    parser.add_argument("--tiny", action="store_true", help="tiny model, for a CPU smoke run")
    parser.add_argument("--shape", default="llama2-7b", choices=[name for name in SHAPES if name != "tiny"], help="the model's shape")
    parser.add_argument("--scale", type=int, default=1, help="training texts x this (20 = the large-corpus benchmark)")
    return parser


def prepare(work: Path, tiny: bool, scale: int = 1, shape: str = "llama2-7b") -> tuple[Path, Path, float, dict | None]:
    """The model and corpus folders under `work`, built once: (model, dataset, seconds building the
    model, the corpus's counts when it was built now)."""
    work.mkdir(parents=True, exist_ok=True)
    shape = "tiny" if tiny else shape
    model_dir = work / ("tiny" if tiny else f"{shape}-shaped")
    dataset_dir = work / ("dataset" if scale == 1 else f"dataset-x{scale}")
    built = make_model(model_dir, shape)
    counts = make_dataset(dataset_dir, n_train=878 * scale) if not (dataset_dir / "manifest.json").is_file() else None
    return model_dir, dataset_dir, built, counts
