"""Stage 6's model side on the tiny random Llama: perplexity against a direct
token-by-token computation, batched left-padded generation against
one-at-a-time generation, and the checks that refuse a mismatched model."""

from __future__ import annotations

import json

import pytest
import torch

from brandtone.errors import StageError
from brandtone.evaluate.models import attach_adapter, check_adapter_base, check_same_tokenizer
from brandtone.generation import Decoding, generate, token_batches, truth_nll

GREEDY = Decoding(do_sample=False, temperature=1.0, top_p=1.0, seeds=(0,))


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    """The tiny Llama's shape and tokenizer, initialised with larger weights: the default init makes a
    2-layer random model repeat one token forever, which would make generation tests trivially pass."""
    from transformers import AutoConfig, LlamaForCausalLM

    from brandtone.models import fit_embeddings, load_tokenizer

    config = AutoConfig.from_pretrained(tiny_model_dir)
    config.initializer_range = 0.3
    torch.manual_seed(0)
    model, tokenizer = LlamaForCausalLM(config).eval(), load_tokenizer(str(tiny_model_dir))
    fit_embeddings(model, tokenizer)  # a row for the pad token load_tokenizer added
    return model, tokenizer


def _pairs(tokenizer):
    texts = ["Garma garam chai aur pakoray, baarish mein", "Sunday at Gulberg ☕", "Book club at the rooftop, come find out"]
    truths = [" milte hain nukkar pe! #NukkarChai", " Steam on the windows, Chacha at the pateela.", " 11 am"]
    prompts = [[tokenizer.bos_token_id] + tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]
    return prompts, [tokenizer(t, add_special_tokens=False)["input_ids"] for t in truths]


def test_conditional_perplexity_matches_a_direct_token_by_token_computation(tiny):
    model, tokenizer = tiny
    prompts, truths = _pairs(tokenizer)
    expected = []
    with torch.inference_mode():
        for prompt, truth in zip(prompts, truths):
            nll = 0.0
            for k, token in enumerate(truth):  # one unpadded forward pass per predicted token
                context = torch.tensor([prompt + truth[:k]])
                nll -= torch.log_softmax(model(context).logits[0, -1], dim=-1)[token].item()
            expected.append(nll)
    for budget in (4096, 16):  # one left-padded batch; then one text per batch
        got = truth_nll(model, prompts, truths, batch_tokens=budget, pad=tokenizer.pad_token_id)
        assert got == pytest.approx(expected, rel=1e-4)
    assert len(token_batches([len(p) for p in prompts], [len(t) for t in truths], 16)) == 3


def _one_at_a_time(model, prompt, limit, eos, pad):
    """The reference: plain generate() on the unpadded prompt, cut at end-of-text."""
    from transformers import GenerationConfig

    with torch.inference_mode():
        out = model.generate(
            torch.tensor([prompt]),
            attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
            generation_config=GenerationConfig(max_new_tokens=limit, do_sample=False, eos_token_id=eos, pad_token_id=pad),
        )
    new = out[0, len(prompt) :].tolist()
    return new[: new.index(eos)] if eos in new else new


def test_left_padded_batched_generation_equals_one_at_a_time(tiny):
    model, tokenizer = tiny
    prompts, _ = _pairs(tokenizer)
    prompts.append(prompts[0][:3])
    limits = [9, 4, 12, 7]
    eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
    expected = [_one_at_a_time(model, p, n, eos, pad) for p, n in zip(prompts, limits)]
    batched = generate(model, prompts, limits, decoding=GREEDY, seed=0, batch_tokens=4096, eos=eos, pad=pad)
    assert len(token_batches([len(p) for p in prompts], limits, 4096)) == 1  # really one padded batch
    assert batched == expected
    assert [len(b) for b in batched] == limits  # each row stops at its own limit (the random model never ends)

    # with an end-of-text the model does produce, rows end there and nothing after it is kept
    stop = expected[2][5]
    cut = [_one_at_a_time(model, p, n, stop, pad) for p, n in zip(prompts, limits)]
    assert generate(model, prompts, limits, decoding=GREEDY, seed=0, batch_tokens=4096, eos=stop, pad=pad) == cut
    assert len(cut[2]) == 5 and stop not in cut[2]
    # several end tokens (end-of-text and an Instruct model's end-of-turn): rows end at whichever comes first
    assert generate(model, prompts, limits, decoding=GREEDY, seed=0, batch_tokens=4096, eos=[eos, stop], pad=pad) == cut


def test_sampling_is_reproducible_per_seed(tiny):
    model, tokenizer = tiny
    prompts, _ = _pairs(tokenizer)
    sampling = Decoding(do_sample=True, temperature=1.0, top_p=1.0, seeds=(1, 2))
    run = lambda seed: generate(
        model,
        prompts,
        [8] * 3,
        decoding=sampling,
        seed=seed,
        batch_tokens=4096,  # noqa: E731
        eos=tokenizer.eos_token_id,
        pad=tokenizer.pad_token_id,
    )
    assert run(1) == run(1)
    assert run(1) != run(2)


def test_adapter_trained_on_another_base_is_refused(tmp_path, tiny_model_dir):
    (tmp_path / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": "meta-llama/Llama-2-7b-hf"}))
    with pytest.raises(StageError, match=r"was trained on meta-llama/Llama-2-7b-hf \(its adapter_config.json\) but model.base is"):
        check_adapter_base(tmp_path, {"config": {"model": {"base": str(tiny_model_dir)}}}, str(tiny_model_dir))
    with pytest.raises(StageError, match=r"trained on other/model \(its manifest.json\)"):
        check_adapter_base(tmp_path, {"config": {"model": {"base": "other/model"}}}, "meta-llama/Llama-2-7b-hf")
    check_adapter_base(tmp_path, {"config": {"model": {"base": "meta-llama/Llama-2-7b-hf"}}}, "meta-llama/Llama-2-7b-hf")


def test_adapter_whose_shapes_do_not_fit_is_refused(tmp_path, tiny, tiny_model_dir):
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    model, _ = tiny
    narrow = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=model.config.vocab_size,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
        )
    )
    get_peft_model(narrow, LoraConfig(r=4, target_modules=["q_proj", "v_proj"])).save_pretrained(tmp_path)
    with pytest.raises(StageError, match="does not fit model.base"):
        attach_adapter(model, tmp_path, str(tiny_model_dir))


def test_a_tuned_model_with_another_tokenizer_is_refused(tmp_path, tiny):
    _, tokenizer = tiny
    check_same_tokenizer(tokenizer, tmp_path, "base")  # no tokenizer files: the base's is used
    tokenizer.save_pretrained(tmp_path)
    check_same_tokenizer(tokenizer, tmp_path, "base")
    from transformers import AutoTokenizer

    other = AutoTokenizer.from_pretrained(tmp_path)
    other.add_tokens(["<brand>"])
    other.save_pretrained(tmp_path)
    with pytest.raises(StageError, match=r"differs from model.base base \(vocabulary\)"):
        check_same_tokenizer(tokenizer, tmp_path, "base")
