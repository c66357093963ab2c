"""Stage 5's parity gate (brandtone/merge/parity.py) on a tiny random Llama and a random LoRA adapter.

A correct merge saved in bf16 passes although bf16 itself moves the logits; each wrong merge fails,
and for the reason it is wrong: merged into 4-bit weights, a doubled LoRA scaling, a decoder layer
left out (in the merge, or only in the saved copy), shards saved in the wrong dtype. The saved
copy's floors are set to nothing here, so its verdicts come from the measured bf16 noise alone.
"""

from __future__ import annotations

import pytest
import torch

from brandtone.merge.parity import Limits, judge, next_token_logits, saved_dtypes
from tests.helpers.corpus import brand_posts

NO_FLOORS = Limits(noise_factor=2.0, max_abs_logit_diff=1e-4, mean_kl=1e-9, effect_tolerance=0.05)  # fp32 merge: float arithmetic only


@pytest.fixture(scope="module")
def parity_case(tmp_path_factory, tiny_model_dir):
    """The tiny base, a random (untrained but non-zero) adapter on every linear layer, held-out
    sequences, and the three reference logit sets the gate needs."""
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = tmp_path_factory.mktemp("parity")
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    sequences = [tokenizer(text)["input_ids"][:64] for text in brand_posts(6, seed=1)]
    torch.manual_seed(1)
    lora = LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", init_lora_weights=False)
    adapted = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir), lora)
    with torch.no_grad():  # a trained adapter's size: its change to each weight is a few per cent of the weight
        for name, parameter in adapted.named_parameters():
            if "lora_B" in name:
                parameter.mul_(0.1)
    adapted.save_pretrained(folder / "adapter")

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    logits = {
        "base_fp32": next_token_logits(base, sequences),
        "base_saved": next_token_logits(AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.bfloat16), sequences),
        "adapter_fp32": next_token_logits(PeftModel.from_pretrained(base, str(folder / "adapter")), sequences),
    }
    return {"base": tiny_model_dir, "adapter": folder / "adapter", "sequences": sequences, "folder": folder, **logits}


def _with_adapter(case, dtype=torch.float32, **load):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    return PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(case["base"], dtype=dtype, **load), str(case["adapter"]))


def merged_model(case, fault=None):
    """The adapter merged into the fp32 base as stage 5 merges it, with one deliberate fault."""
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    if fault == "merged-into-4bit":
        quantised = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16)
        return _with_adapter(case, torch.bfloat16, quantization_config=quantised, device_map={"": "cpu"}).merge_and_unload()
    model = _with_adapter(case)
    if fault == "doubled-scaling":
        for module in model.modules():
            if isinstance(getattr(module, "scaling", None), dict):
                module.scaling["default"] *= 2
    merged = model.merge_and_unload()
    if fault == "layer-left-out":
        merged.model.layers[0].load_state_dict(AutoModelForCausalLM.from_pretrained(case["base"]).model.layers[0].state_dict())
    return merged


# (fault in the fp32 merge, fault in the saved copy only, saved dtype, what the verdict must say)
CASES = {
    "correct": (None, None, torch.bfloat16, []),
    "doubled-scaling": ("doubled-scaling", None, torch.bfloat16, ["the fp32 merge differs", "keeps 1.70"]),
    "layer-left-out": ("layer-left-out", None, torch.bfloat16, ["the fp32 merge differs", "keeps 0.476"]),
    "merged-into-4bit": ("merged-into-4bit", None, torch.bfloat16, ["the fp32 merge differs", "merged vs the adapter on the fp32 base"]),
    "saved-in-fp16": (None, None, torch.float16, ["the saved shards hold F16, not bfloat16"]),
    # a fault that enters after the fp32 check (while saving): the saved copy's own checks catch it
    "saved-copy-doubled": (None, "doubled-scaling", torch.bfloat16, ["keeps 1.70", "merged vs the adapter on the fp32 base"]),
    "saved-copy-layer-left-out": (None, "layer-left-out", torch.bfloat16, ["keeps 0.476", "merged vs the adapter on the fp32 base"]),
}


@pytest.mark.parametrize("case_name", list(CASES))
def test_a_correct_bf16_merge_passes_and_each_wrong_merge_fails(parity_case, case_name, tmp_path):
    fp32_fault, saved_fault, saved_dtype, reasons = CASES[case_name]
    merged = merged_model(parity_case, fp32_fault)
    merged_fp32 = next_token_logits(merged, parity_case["sequences"])
    saved = merged if saved_fault is None else merged_model(parity_case, saved_fault)
    if fp32_fault == "merged-into-4bit":
        found = {"BF16"}  # 4-bit layers have no plain shards to read: the logits are what is judged
    else:
        saved.to(saved_dtype).save_pretrained(tmp_path)
        found = saved_dtypes(tmp_path)
    verdict = judge(
        parity_case["base_fp32"],
        parity_case["base_saved"],
        parity_case["adapter_fp32"],
        merged_fp32,
        next_token_logits(saved, parity_case["sequences"]),
        found,
        torch.bfloat16,
        NO_FLOORS,
    )
    # bf16's noise is real, and the adapter's effect is far larger than it
    assert 0 < 100 * verdict.noise.mean_kl < verdict.effect.mean_kl
    if not reasons:
        assert verdict.passed, verdict.failures
        assert verdict.effect_kept == pytest.approx(1, abs=0.01)
        assert verdict.error.max_abs_logit_diff > 0  # bf16 is not exact: a fixed tight limit would fail it
    else:
        assert not verdict.passed
        for reason in reasons:
            assert any(reason in failure for failure in verdict.failures), (reason, verdict.failures)


def test_an_fp32_merge_is_judged_by_the_floors_and_an_untrained_adapter_has_no_effect_to_keep(parity_case, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    fp32 = Limits(noise_factor=2.0, max_abs_logit_diff=0.01, mean_kl=1e-5, effect_tolerance=0.05)
    merged = merged_model(parity_case)
    merged.save_pretrained(tmp_path / "fp32")
    base, merged_fp32 = parity_case["base_fp32"], next_token_logits(merged, parity_case["sequences"])
    verdict = judge(base, base, parity_case["adapter_fp32"], merged_fp32, merged_fp32, saved_dtypes(tmp_path / "fp32"), torch.float32, fp32)
    assert verdict.passed and verdict.noise.max_abs_logit_diff == 0 and verdict.error.max_abs_logit_diff < 1e-4

    # LoRA's own initialisation (B = 0): the adapter changes nothing, so there is no share to measure
    from peft import LoraConfig, get_peft_model

    untrained = get_peft_model(AutoModelForCausalLM.from_pretrained(parity_case["base"]), LoraConfig(r=4, target_modules="all-linear"))
    untrained.save_pretrained(tmp_path / "untrained")
    reference = next_token_logits(
        PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(parity_case["base"]), str(tmp_path / "untrained")),
        parity_case["sequences"],
    )
    verdict = judge(base, parity_case["base_saved"], reference, base, parity_case["base_saved"], {"BF16"}, torch.bfloat16, fp32)
    assert verdict.passed and verdict.effect_kept is None and "changes nothing" in verdict.summary()
