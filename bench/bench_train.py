"""Training throughput on one GPU: the original recipe vs 04_finetune.py, side by side.

Builds the Llama-2-7B-shaped random model and the brand-shaped synthetic corpus
(bench/synthetic.py), then runs each variant in its own process over one full
epoch and prints a table: real (non-pad) tokens/s, seconds per epoch, peak GPU
memory, the ratio to the original recipe, and the fraction of the arithmetic limit.

    python bench/bench_train.py                       # original recipe, default config, low-memory profile
    python bench/bench_train.py --variants pipeline,fused_adamw,sdpa,lora_qv,dropout_0.05   # single changes
    python bench/bench_train.py --tiny                # CPU smoke run on a tiny model

Results are appended as JSON lines to bench/results/train.jsonl (and to $OUT when set).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402

# 04_finetune.py variants, each timed over one epoch: the project's default config, the low-memory
# profile (an 8 GiB plan), and single changes to the default that the notes compare.
ONE_EPOCH = ["finetune.num_train_epochs=1", "finetune.save_steps=1000"]
PIPELINE_VARIANTS = {
    "pipeline": ONE_EPOCH,
    "low_memory": ONE_EPOCH + ["finetune.memory_limit_gib=8"],
    "fused_adamw": ONE_EPOCH + ["finetune.optim=adamw_torch_fused"],
    "sdpa": ONE_EPOCH + ["finetune.attn_implementation=sdpa"],
    "lora_qv": ONE_EPOCH + ["finetune.lora_target_modules=[q_proj,v_proj]"],
    "dropout_0.05": ONE_EPOCH + ["finetune.lora_dropout=0.05"],
    "checkpointing_8k": ONE_EPOCH + ["finetune.gradient_checkpointing=true", "finetune.tokens_per_batch=8192"],
    "no_double_quant": ONE_EPOCH + ["finetune.bnb_4bit_use_double_quant=false"],
    "no_double_quant_fused_adamw": ONE_EPOCH + ["finetune.bnb_4bit_use_double_quant=false", "finetune.optim=adamw_torch_fused"],
}
BF16_PEAK_FLOPS = 790e12  # H100 SXM dense bf16 matrix products, as measured on the bench card


def arithmetic_limit(lengths: list[int], config: dict) -> float:
    """Tokens/s at which LoRA training would saturate the card's bf16 matrix units.

    Per token: 4 x params (forward, and the backward pass for input gradients;
    frozen weights need no weight gradients) plus attention, which for texts
    isolated from each other costs 4 x layers x hidden x (mean attended length).
    """
    params = 6.74e9
    mean_attended = sum(n * (n + 1) / 2 for n in lengths) / sum(lengths)
    flops = 4 * params + 4 * config["num_hidden_layers"] * config["hidden_size"] * mean_attended
    return BF16_PEAK_FLOPS / flops


def run_pipeline(name: str, model_dir: Path, dataset_dir: Path, work: Path, overrides: list[str]) -> dict:
    """04_finetune.py through bench/profile_train.py (no profile window): the stage's own manifest
    gives the epoch figures, the step timer the first (warm-up) step and the steady state after it."""
    adapter = work / f"adapter-{name}"
    command = [
        sys.executable, str(REPO / "bench" / "profile_train.py"), "--label", name, "--profile-steps", "0:0", "--",
        "--config", str(REPO / "config.yaml"),
        f"model.base={model_dir}", f"paths.dataset_dir={dataset_dir}", f"paths.adapter_dir={adapter}",
        f"paths.checkpoints_dir={work / f'checkpoints-{name}'}", *overrides,
    ]
    started = time.time()
    env = {k: v for k, v in os.environ.items() if k != "OUT"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(command, cwd=work, env=env, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        return {"variant": name, "failed": f"exit {result.returncode}"}
    record = json.loads((adapter / "manifest.json").read_text())
    steps = next(json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"label"'))
    throughput, memory = record["throughput"], record["peak_memory_gib"]
    return {
        "variant": name, "real_tokens": throughput["real_tokens"], "train_seconds": throughput["train_seconds"],
        "real_tokens_per_second": throughput["real_tokens_per_second"], "peak_gib": memory["measured"],
        "first_step_s": steps["first_step_s"], "steady_tokens_per_second": steps["steady_tokens_per_s"],
        "stage_seconds": round(time.time() - started, 1), "plan": record.get("plan"), "overrides": overrides,
        "loss": record.get("loss"),
    }


def run_anchor(model_dir: Path, dataset_dir: Path) -> dict:
    result = subprocess.run([sys.executable, str(REPO / "bench" / "anchor_recipe.py"), str(model_dir), str(dataset_dir)],
                            capture_output=True, text=True)
    sys.stderr.write(result.stderr[-4000:])
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if result.returncode == 0 and lines else {"variant": "original recipe", "failed": result.stderr[-300:]}


def main() -> int:
    parser = synthetic.bench_arguments(__doc__)
    parser.add_argument("--variants", default="anchor,pipeline,low_memory")
    args = parser.parse_args()

    import torch

    work = args.work
    model_dir, dataset_dir, made, counts = synthetic.prepare(work, args.tiny)
    lengths = synthetic.corpus_lengths(878, 0)
    limit = arithmetic_limit(lengths, synthetic.LLAMA2_7B)
    card = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    print(json.dumps({"card": card, "model_built_s": round(made, 1), "dataset": counts, "arithmetic_limit_tok_s": round(limit)}), flush=True)

    out_files = [REPO / "bench" / "results" / "train.jsonl"] + ([Path(os.environ["OUT"]) / "train.jsonl"] if os.environ.get("OUT") else [])
    for path in out_files:
        path.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for variant in args.variants.split(","):
        if variant == "anchor":
            record = run_anchor(model_dir, dataset_dir)
        elif variant in PIPELINE_VARIANTS:
            record = run_pipeline(variant, model_dir, dataset_dir, work, PIPELINE_VARIANTS[variant])
        else:
            raise SystemExit(f"unknown variant {variant!r}: choose from anchor, {', '.join(PIPELINE_VARIANTS)}")
        record.update(card=card, tiny=args.tiny)
        results.append(record)
        print(json.dumps(record), flush=True)
        for path in out_files:  # as each variant ends, so a run cut short keeps what it measured
            with path.open("a") as handle:
                handle.write(json.dumps(record) + "\n")

    anchor = next((r for r in results if r["variant"] == "original recipe" and "failed" not in r), None)
    print(f"\ncard: {card}   arithmetic limit ~{limit:,.0f} tokens/s\n")
    print(f"{'variant':<18}{'tokens/s':>10}{'s/epoch':>9}{'peak GiB':>10}{'x recipe':>10}{'of limit':>10}{'steady tok/s':>14}")
    for r in results:
        if "failed" in r:
            print(f"{r['variant']:<18} failed: {r['failed'][:60]}")
            continue
        ratio = f"{r['real_tokens_per_second'] / anchor['real_tokens_per_second']:.1f}x" if anchor else "-"
        peak = f"{r['peak_gib']:.1f}" if r.get("peak_gib") is not None else "-"
        steady = f"{r['steady_tokens_per_second']:,.0f}" if r.get("steady_tokens_per_second") else "-"
        print(f"{r['variant']:<18}{r['real_tokens_per_second']:>10,.0f}{r['train_seconds']:>9.0f}{peak:>10}{ratio:>10}"
              f"{r['real_tokens_per_second'] / limit:>10.0%}{steady:>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
