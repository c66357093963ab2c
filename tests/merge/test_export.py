"""Stage 5's exports: the GGUF file read back by transformers, the Ollama Modelfile, the model card.

GGUF round trips use tiny random Llamas with small family-shaped tokenizers (transformers' GGUF
reader parses a 49k-token vocabulary in ~10 s a read on this box): byte-level BPE (chatml, with an
added pad token and grown embeddings) and SentencePiece-style BPE with byte fallback (llama2). The
demo's real SmolLM2 tokenizer is round-tripped from the GGUF file 05_merge.py writes, in
test_finetune.py's merge test. Tolerances for the next-token distributions, against the
fp32 model the GGUF was written from: f16 max |logit diff| 2e-3 and mean KL 1e-6; q8_0 (8-bit
blocks of 32 with one fp16 scale) max |logit diff| 3e-2 and mean KL 2e-5; and the same top-1 token
wherever the reference's lead is wider than twice the logit tolerance.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import torch

from brandtone.errors import StageError
from brandtone.merge.gguf import check_exportable, write_gguf
from brandtone.merge.ollama import write_modelfile
from tests.helpers.corpus import brand_posts
from tests.helpers.family_tokenizers import save_tiny_llama

LIMITS = {"f16": (2e-3, 1e-6), "q8_0": (3e-2, 2e-5)}
TEXTS = brand_posts(6, seed=5) + ["Nukkar Chai Co. 🍵 garam chai, Rs. 250 — #ChaiTime\n\n<|im_start|>user\nkya haal hai?"]


class Log:
    def info(self, *args):
        pass

    warning = info


def gguf_alone(path: Path, folder: Path) -> Path:
    """The GGUF file in a folder of its own, so transformers reads nothing but the file."""
    folder.mkdir()
    os.link(path, folder / path.name)
    return folder


def distribution_gap(reference, candidate, ids: list[int], tolerance: float) -> tuple[float, float, bool]:
    """Max |logit diff|, mean KL(reference || candidate), and whether the top-1 token agrees wherever the
    reference's lead over its runner-up is wider than twice the tolerance (a random model's logits are flat)."""
    with torch.no_grad():
        ref = reference(input_ids=torch.tensor([ids])).logits[0].double()
        cand = candidate(input_ids=torch.tensor([ids])).logits[0].double()
    kl = (ref.softmax(-1) * (ref.log_softmax(-1) - cand.log_softmax(-1))).sum(-1).mean()
    top2 = ref.topk(2, -1).values
    clear = (top2[:, 0] - top2[:, 1]) > 2 * tolerance
    return (ref - cand).abs().max().item(), kl.item(), bool((ref.argmax(-1) == cand.argmax(-1))[clear].all())


def with_byte_fallback(folder: Path) -> None:
    """Give the llama2-shaped tokenizer what Llama-2's has: the 256 byte tokens and byte fallback, so a
    character outside the vocabulary becomes bytes (as in llama.cpp and transformers' GGUF reader), not <unk>."""
    from tokenizers import Tokenizer, decoders
    from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerFast

    tokenizer = AutoTokenizer.from_pretrained(folder)
    spec = json.loads(tokenizer.backend_tokenizer.to_str())
    vocab = spec["model"]["vocab"]
    vocab.update({f"<0x{byte:02X}>": len(vocab) + byte for byte in range(256)})
    spec["model"]["byte_fallback"] = True
    backend = Tokenizer.from_str(json.dumps(spec))
    backend.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace()])
    grown = PreTrainedTokenizerFast(tokenizer_object=backend, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    grown.chat_template = tokenizer.chat_template
    model = AutoModelForCausalLM.from_pretrained(folder)
    model.resize_token_embeddings(len(grown), mean_resizing=False)
    model.save_pretrained(folder)
    grown.save_pretrained(folder)


@pytest.fixture(scope="module", params=["chatml", "llama2"])
def family_model(request, tmp_path_factory):
    """A tiny random Llama of a family's shape, as stage 5 saves it (chatml: an added pad token, grown embeddings)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from brandtone.models import choose_pad_token, fit_embeddings

    folder = save_tiny_llama(request.param, tmp_path_factory.mktemp(request.param))
    if request.param == "llama2":
        with_byte_fallback(folder)
    tokenizer, model = AutoTokenizer.from_pretrained(folder), AutoModelForCausalLM.from_pretrained(folder)
    choose_pad_token(tokenizer)
    fit_embeddings(model, tokenizer)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return request.param, folder


@pytest.mark.parametrize("kind", ["f16", "q8_0"])
def test_gguf_reads_back_in_transformers_with_the_same_distributions_and_tokens(family_model, kind, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    family, folder = family_model
    path = write_gguf(folder, kind, "tiny", Log())
    alone = gguf_alone(path, tmp_path / "gguf")
    gguf_model = AutoModelForCausalLM.from_pretrained(alone, gguf_file=path.name, dtype=torch.float32).eval()
    gguf_tokenizer = AutoTokenizer.from_pretrained(alone, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)

    assert gguf_model.config.vocab_size == model.config.vocab_size
    assert (model.config.vocab_size > len(tokenizer)) == (family == "chatml")  # rows past the tokenizer: UNUSED tokens
    max_diff, kl, top1 = distribution_gap(model, gguf_model, tokenizer(" ".join(TEXTS[:3]))["input_ids"], LIMITS[kind][0])
    assert max_diff < LIMITS[kind][0] and kl < LIMITS[kind][1] and top1, (family, kind, max_diff, kl)
    for text in TEXTS:
        assert gguf_tokenizer(text)["input_ids"] == tokenizer(text)["input_ids"], text
    assert (gguf_tokenizer.bos_token, gguf_tokenizer.eos_token) == (tokenizer.bos_token, tokenizer.eos_token)
    assert gguf_tokenizer.chat_template == tokenizer.chat_template


# --------------------------------------------------------------------------- Modelfile


def render_go(template: str, system: str, messages: list[dict]) -> str:
    """Go's text/template, for exactly the constructs an exported TEMPLATE uses (anything else fails)."""
    parts = re.split(r"\{\{\s*(.*?)\s*\}\}", template)
    position = 0

    def block(stop: tuple[str, ...]):
        nonlocal position
        nodes = []
        while position < len(parts):
            text, position = parts[position], position + 1
            if position % 2 == 1:
                nodes.append(("text", text))
                continue
            if text.startswith(stop) or text == "end":
                return nodes, text
            if text.startswith("if "):
                branches, condition = [], text[3:]
                while True:
                    body, ending = block(("else", "end"))
                    branches.append((condition, body))
                    if ending == "end":
                        break
                    condition = ending[8:] if ending.startswith("else if ") else "true"
                nodes.append(("if", branches))
            elif text.startswith("range $i, $m := .Messages"):
                nodes.append(("range", block(())[0]))
            else:
                nodes.append(("action", text))
        return nodes, None

    def value(expr: str, env: dict, dot: dict):
        if expr.startswith("not "):
            return not value(expr[4:], env, dot)
        if expr in ("true", "false"):
            return expr == "true"
        if expr == ".System":
            return system
        if expr in (".Content", ".Role"):
            return dot[expr[1:].lower()]
        if expr == "eq (len (slice $.Messages $i)) 1":
            return len(messages) - env["$i"] == 1
        if match := re.fullmatch(r'eq \.Role "(\w+)"', expr):
            return dot["role"] == match[1]
        if re.fullmatch(r"\$\w+", expr):
            return env[expr]
        raise AssertionError(f"unexpected Go template expression {expr!r}")

    def run(nodes, env: dict, dot: dict) -> str:
        out = []
        for node in nodes:
            if node[0] == "text":
                out.append(node[1])
            elif node[0] == "if":
                out.append(next((run(body, env, dot) for cond, body in node[1] if value(cond, env, dot)), ""))
            elif node[0] == "range":
                for index, message in enumerate(messages):
                    env["$i"] = index
                    out.append(run(node[1], env, message))
            elif match := re.fullmatch(r"(\$\w+) :?= (.+)", node[1]):
                env[match[1]] = value(match[2], env, dot)
            else:
                out.append(value(node[1], env, dot))
        return "".join(out)

    return run(block(())[0], {}, {})


CONVERSATIONS = [
    (None, [("user", "Write an Instagram caption for our monsoon pakora offer")]),
    ("You write for a Lahore chai café.", [("user", "A Facebook post announcing the new Gulberg branch")]),
    ("Keep it short.", [("user", "Eid timings post"), ("assistant", "Eid Mubarak! Open 4pm-2am."), ("user", "Now in Urdu")]),
]


@pytest.mark.parametrize("family", ["demo", "chatml", "llama3", "llama2"])
def test_modelfile_template_renders_conversations_as_the_chat_template_does(family, tiny_model_dir, tmp_path):
    from transformers import AutoTokenizer

    from brandtone.merge.gguf import adds_bos
    from brandtone.textformat import end_ids

    folder = tiny_model_dir if family == "demo" else save_tiny_llama(family, tmp_path / family)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    modelfile = write_modelfile(tmp_path, "model-q8_0.gguf", tokenizer, Log()).read_text()
    template = re.search(r'^TEMPLATE """(.*?)"""$', modelfile, re.S | re.M)[1]
    assert "FROM ./model-q8_0.gguf" in modelfile.splitlines()
    assert re.findall(r'^PARAMETER stop "(.*)"$', modelfile, re.M) == tokenizer.convert_ids_to_tokens(end_ids(tokenizer))
    bos = tokenizer.bos_token if adds_bos(tokenizer) else ""  # llama.cpp adds it, as the GGUF file says
    for system, turns in CONVERSATIONS:
        if family == "llama2" and system:  # its template has no system prompt: the Modelfile ignores SYSTEM
            system = None
        messages = [{"role": role, "content": content} for role, content in turns]
        expected = tokenizer.apply_chat_template(
            ([{"role": "system", "content": system}] if system else []) + messages, tokenize=False, add_generation_prompt=True
        )
        assert bos + render_go(template, system or "", messages) == expected


def test_the_demo_modelfile_keeps_the_templates_default_system_prompt(tiny_model_dir, tmp_path):
    from transformers import AutoTokenizer

    modelfile = write_modelfile(tmp_path, "model-f16.gguf", AutoTokenizer.from_pretrained(tiny_model_dir), Log()).read_text()
    template = re.search(r'TEMPLATE """(.*?)"""', modelfile, re.S)[1]
    rendered = render_go(template, "", [{"role": "user", "content": "Hi"}])
    assert rendered.startswith("<|im_start|>system\nYou are a helpful AI assistant named SmolLM")
    assert rendered.endswith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    assert re.findall(r'PARAMETER stop "(.*)"', modelfile) == ["<|endoftext|>", "<|im_end|>"]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "config, tokenizer_json, message",
    [
        ({"model_type": "gpt2"}, None, "'gpt2' model; GGUF export writes Llama-architecture models only: set merge.gguf=null"),
        ({"model_type": "llama", "rope_parameters": {"rope_type": "llama3", "factor": 8.0}}, None, "'llama3' rope scaling"),
        ({"model_type": "llama", "attention_bias": True}, None, "biased projections"),
        ({"model_type": "llama"}, {"model": {"type": "Unigram"}, "decoder": {"type": "Metaspace"}}, "is a Unigram tokenizer"),
        (
            {"model_type": "llama"},
            {"model": {"type": "BPE"}, "decoder": {"type": "ByteLevel"}, "pre_tokenizer": {"type": "Whitespace"}},
            "splits text in a way GGUF cannot name",
        ),
    ],
)
def test_models_the_writer_cannot_export_are_refused_in_one_line(config, tokenizer_json, message, tiny_model_dir, tmp_path):
    if tokenizer_json:
        (tmp_path / "tokenizer.json").write_text(json.dumps(tokenizer_json))
    with pytest.raises(StageError, match=re.escape(message)) as error:
        check_exportable(config, "acme/base", tmp_path if tokenizer_json else tiny_model_dir)
    assert "\n" not in str(error.value)


def test_a_template_that_numbers_its_messages_gets_no_modelfile(tiny_model_dir, tmp_path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    tokenizer.chat_template = "{% for m in messages %}{{ loop.index }}. {{ m['content'] }}\n{% endfor %}"
    with pytest.raises(StageError, match="in a way no Ollama TEMPLATE reproduces: set merge.gguf=null"):
        write_modelfile(tmp_path, "model-f16.gguf", tokenizer, Log())
    assert not (tmp_path / "Modelfile").exists()


# --------------------------------------------------------------------------- model card


def test_card_carries_the_base_license_and_stage_6_refreshes_only_its_evaluation(tmp_path):
    from huggingface_hub import ModelCard

    from brandtone.config import load_config
    from brandtone.manifest import fingerprint
    from brandtone.model_card import refresh_evaluation, write_model_card
    from tests.helpers.configs import write_config

    base = tmp_path / "base"
    base.mkdir()
    (base / "README.md").write_text("---\nlicense: apache-2.0\n---\n# A base model\n")
    (base / "LICENSE").write_text("Apache License, Version 2.0 (the text a user must receive)\n")
    config = load_config(write_config(tmp_path, base))
    merged = Path(config.paths.merged_dir)
    merged.mkdir()
    (merged / "manifest.json").write_text(
        json.dumps(
            {
                "dtype": "bfloat16",
                "parity": {
                    "texts": 8,
                    "error": {"max_abs_logit_diff": 0.5, "mean_kl": 0.004, "top1_agreement": 0.99},
                    "effect_kept": 0.983,
                },
            }
        )
    )

    card_path = write_model_card(merged, "merged", config, merged, None)
    card = ModelCard.load(card_path)
    assert card.data.license == "apache-2.0" and card.data.library_name == "transformers" and card.data.base_model is None
    assert (merged / "LICENSE").read_text() == (base / "LICENSE").read_text()
    assert "subject to the base model's license, `apache-2.0`" in card.text and "98.3% of the fine-tuning's effect kept" in card.text
    assert "Not evaluated yet" in card.text

    # a report in paths.eval_dir about another model (another run, or this folder before it was retrained) is not this card's
    eval_dir = Path(config.paths.eval_dir)
    eval_dir.mkdir()
    other = {"verdict": "Another model's verdict.", "models": {"tuned": {"path": str(merged), "fingerprint": "sha256:another"}}}
    (eval_dir / "report.json").write_text(json.dumps(other))
    assert "Not evaluated yet" in ModelCard.load(write_model_card(merged, "merged", config, merged, None)).text
    assert refresh_evaluation(other, eval_dir) == [] and "Another model's verdict" not in card_path.read_text()

    before = card_path.read_text()
    report = {
        "verdict": "The tuned model continues held-out texts better than the base.",
        "models": {"tuned": {"path": str(merged), "fingerprint": fingerprint(merged)}},
    }
    assert refresh_evaluation(report, eval_dir) == [card_path]
    after = card_path.read_text()
    assert "continues held-out texts better than the base" in after and "Not evaluated yet" not in after
    head = before.split("<!-- brandtone:evaluation -->")[0]
    assert after.startswith(head)  # everything but the evaluation section is as 05 wrote it
    (eval_dir / "report.json").write_text(json.dumps(report))  # a card written again for the same model keeps its evaluation
    assert "continues held-out texts better" in write_model_card(merged, "merged", config, merged, None).read_text()
