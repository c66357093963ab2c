"""Training throughput on one GPU: the original recipe vs 04_finetune.py, side by side.

Builds the Llama-2-7B-shaped random model and the brand-shaped synthetic corpus
(bench/synthetic.py), then runs each variant in its own process over one full
epoch and prints a table: real (non-pad) tokens/s, seconds per epoch, peak GPU
memory, the ratio to the original recipe, the fraction of the arithmetic limit, and the
steady rate after the first step (bench/profile_train.py: device time, gaps between
steps included).

    python bench/bench_train.py                       # original recipe, default config, low-memory profile
    python bench/bench_train.py --variants pipeline,peft_lora,paged_adamw_8bit,compile   # single changes
    python bench/bench_train.py --variants before,pipeline --before /path/to/older/checkout   # an older 04_finetune.py
    python bench/bench_train.py --variants pipeline --scale 20   # the large corpus: 20x the texts
    python bench/bench_train.py --tiny                # CPU smoke run on a tiny model
    python bench/bench_train.py --shape llama3-8b --variants anchor,pipeline   # the Llama-3-8B shape (128,256 words)
    python bench/bench_train.py --variants t4_plan,no_liger_installed     # a T4's plan; a GPU without liger-kernel
    python bench/bench_train.py --variants pipeline,peer_trl,peer_unsloth # beside TRL as documented, and Unsloth

Every variant trains the continuation format only, so that the corpus is the same 121,510 tokens
as in earlier figures (the chat format adds the requests' examples: bench/gpu_path.py runs both).

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
ONE_EPOCH = ["finetune.num_train_epochs=1", "finetune.save_steps=1000", "finetune.formats=[continuation]"]
PIPELINE_VARIANTS = {
    "pipeline": ONE_EPOCH,
    "before": ONE_EPOCH,  # the default config of the checkout given with --before
    "low_memory": ONE_EPOCH + ["finetune.memory_limit_gib=8"],
    "peft_lora": ONE_EPOCH + ["finetune.fused_lora=false"],
    "paged_adamw_8bit": ONE_EPOCH + ["finetune.optim=paged_adamw_8bit"],
    "compile": ONE_EPOCH + ["finetune.compile=true"],
    "no_compile": ONE_EPOCH + ["finetune.compile=false"],
    "sdpa": ONE_EPOCH + ["finetune.attn_implementation=sdpa"],
    "lora_qv": ONE_EPOCH + ["finetune.lora_target_modules=[q_proj,v_proj]"],
    "dropout_0.05": ONE_EPOCH + ["finetune.lora_dropout=0.05"],
    "checkpointing_8k": ONE_EPOCH + ["finetune.gradient_checkpointing=true", "finetune.tokens_per_batch=8192"],
    "no_double_quant": ONE_EPOCH + ["finetune.bnb_4bit_use_double_quant=false"],
    # issue 27: the plan a T4 gets (fp16, batched SDPA, no Liger, a 15 GiB card), run on this GPU; the
    # bf16 plan under the same memory; the default without liger-kernel installed (its warning, its cost)
    "t4_plan": ONE_EPOCH + ["--as-card=t4"],
    "t4_plan_dense_mask": ONE_EPOCH
    + ["--as-card=t4", "finetune.attn_implementation=sdpa"],  # the other fallback: a dense mask, one SDPA call a row
    "bf16_13.5gib": ONE_EPOCH + ["finetune.memory_limit_gib=13.5"],
    "no_liger_installed": ONE_EPOCH + ["--without-package=liger_kernel"],
    # issue 29: the LM head with TRL's compaction back; the fused LoRA groups (q/k/v, gate/up as one product,
    # the update folded into the weight), then without the folding, then the folding alone (bench/profile_train.py LEVERS)
    "lever_off_uncompacted_lm_head": ONE_EPOCH + ["--lever-off=uncompacted_lm_head"],
    "lora_groups": ONE_EPOCH + ["finetune.fused_lora_groups=true"],
    "lora_groups_no_fold": ONE_EPOCH + ["finetune.fused_lora_groups=true", "--lever-off=fold"],
    "lora_fold_only": ONE_EPOCH + ["finetune.fused_lora_groups=true", "--lever-off=shared_inputs"],
}
PEERS = ("peer_trl", "peer_unsloth")  # bench/peers.py
OUT = Path(os.environ["OUT"]) if os.environ.get("OUT") else None
BF16_PEAK_FLOPS = 790e12  # H100 SXM dense bf16 matrix products, as measured on the bench card


def arithmetic_limit(lengths: list[int], config: dict) -> float:
    """Tokens/s at which LoRA training would saturate the card's bf16 matrix units.

    Per token: 4 x the parameters of its matrix products (forward, and the backward pass for input
    gradients; frozen weights need no weight gradients; the input embeddings are a lookup) plus
    attention, which for texts isolated from each other costs 4 x layers x hidden x (mean attended length).
    """
    params = synthetic.matmul_params(config)
    mean_attended = sum(n * (n + 1) / 2 for n in lengths) / sum(lengths)
    flops = 4 * params + 4 * config["num_hidden_layers"] * config["hidden_size"] * mean_attended
    return BF16_PEAK_FLOPS / flops


def run_pipeline(
    name: str,
    model_dir: Path,
    dataset_dir: Path,
    work: Path,
    overrides: list[str],
    repo: Path = REPO,
    sync_step: int = -1,
    profile_steps: str = "0:0",
) -> dict:
    """04_finetune.py of `repo` through its bench/profile_train.py (a profile window only if asked for): the
    stage's own manifest gives the epoch figures, the step timer the first (warm-up) step and the steady state after it."""
    adapter = work / f"adapter-{name}"
    profile_flags = [o for o in overrides if o.startswith("--")]  # for profile_train.py; the rest for 04_finetune.py
    command = [
        sys.executable,
        str(repo / "bench" / "profile_train.py"),
        "--label",
        name,
        "--profile-steps",
        profile_steps,
        *(["--sync-step", str(sync_step)] if sync_step >= 0 else []),
        *profile_flags,
        "--",
        "--config",
        str(repo / "config.yaml"),
        "--fresh",
        f"model.base={model_dir}",
        f"paths.dataset_dir={dataset_dir}",
        f"paths.adapter_dir={adapter}",
        f"paths.checkpoints_dir={work / f'checkpoints-{name}'}",
        *[o for o in overrides if not o.startswith("--")],
    ]
    started = time.time()
    env = {k: v for k, v in os.environ.items() if k != "OUT"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(command, cwd=work, env=env, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(result.stdout)
    if OUT and sync_step >= 0:  # the table of host-device synchronisations
        (OUT / f"syncs-{name}.txt").write_text(result.stdout[result.stdout.find('{"label"') :][:20000])
    if result.returncode != 0:
        return {"variant": name, "failed": f"exit {result.returncode}"}
    record = json.loads((adapter / "manifest.json").read_text())
    steps = next(json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"label"'))
    throughput, memory = record["throughput"], record["peak_memory_gib"]
    return {
        "variant": name,
        "real_tokens": throughput["real_tokens"],
        "train_seconds": throughput["train_seconds"],
        "real_tokens_per_second": throughput["real_tokens_per_second"],
        "peak_gib": memory["measured"],
        "first_step_s": steps["first_step_s"],
        "steady_tokens_per_second": steps["steady_tokens_per_s"],
        "host_steady_tokens_per_second": steps.get("host_steady_tokens_per_s"),
        "stage_seconds": round(time.time() - started, 1),
        "plan": record.get("plan"),
        "overrides": overrides,
        "loss": record.get("loss"),
        "padding_tokens": record["processes"][0].get("padding_tokens"),
        "step_times_s": steps["step_times_s"],
    }


def run_peer(name: str, model_dir: Path, dataset_dir: Path, work: Path) -> dict:
    """bench/peers.py in its own process; Unsloth's packages (UNSLOTH_PATH, its own trl and datasets) go first."""
    env = dict(os.environ)
    if name == "peer_unsloth" and os.environ.get("UNSLOTH_PATH"):
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.environ["UNSLOTH_PATH"], os.environ.get("PYTHONPATH")]))
    command = [sys.executable, str(REPO / "bench" / "peers.py"), name.removeprefix("peer_"), str(model_dir), str(dataset_dir), str(work)]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stdout.write(result.stdout[-3000:])
    sys.stderr.write(result.stderr[-6000:])
    lines = [line for line in result.stdout.splitlines() if line.startswith('{"variant"')]
    if result.returncode != 0 or not lines:
        return {"variant": name, "failed": (result.stderr or result.stdout)[-1500:]}
    return json.loads(lines[-1])


def run_anchor(model_dir: Path, dataset_dir: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "anchor_recipe.py"), str(model_dir), str(dataset_dir)], capture_output=True, text=True
    )
    sys.stderr.write(result.stderr[-4000:])
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if result.returncode == 0 and lines else {"variant": "original recipe", "failed": result.stderr[-300:]}


def main() -> int:
    parser = synthetic.bench_arguments(__doc__)
    parser.add_argument("--variants", default="anchor,pipeline,low_memory")
    parser.add_argument("--before", type=Path, help="an older checkout of this repository, for the `before` variant")
    parser.add_argument("--sync-step", type=int, default=-1, help="list the `pipeline` variant's host-device syncs in step N+1")
    parser.add_argument(
        "--profile-steps",
        default="0:0",
        help="torch-profile optimizer steps FIRST+1..LAST of every variant (FIRST:LAST); the window syncs every step, so time without it",
    )
    args = parser.parse_args()

    import torch

    work = args.work
    model_dir, dataset_dir, made, counts = synthetic.prepare(work, args.tiny, args.scale, args.shape)
    lengths = synthetic.corpus_lengths(878 * args.scale, 0)
    shape = "tiny" if args.tiny else args.shape
    limit = arithmetic_limit(lengths, synthetic.SHAPES[shape])
    card = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    print(
        json.dumps(
            {
                "card": card,
                "shape": shape,
                "model_built_s": round(made, 1),
                "dataset": counts,
                "scale": args.scale,
                "arithmetic_limit_tok_s": round(limit),
            }
        ),
        flush=True,
    )

    out_files = [REPO / "bench" / "results" / "train.jsonl"] + ([OUT / "train.jsonl"] if OUT else [])
    for path in out_files:
        path.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for variant in args.variants.split(","):
        if variant == "anchor":
            record = run_anchor(model_dir, dataset_dir)
        elif variant == "before" and not args.before:
            raise SystemExit("the `before` variant needs --before PATH (an older checkout)")
        elif variant in PEERS:
            record = run_peer(variant, model_dir, dataset_dir, work)
        elif variant in PIPELINE_VARIANTS:
            repo = args.before.resolve() if variant == "before" else REPO
            record = run_pipeline(
                variant,
                model_dir,
                dataset_dir,
                work,
                PIPELINE_VARIANTS[variant],
                repo,
                args.sync_step if variant == "pipeline" else -1,
                args.profile_steps,
            )
        else:
            raise SystemExit(f"unknown variant {variant!r}: choose from anchor, {', '.join([*PIPELINE_VARIANTS, *PEERS])}")
        record.update(card=card, shape=shape, scale=args.scale)
        results.append(record)
        print(json.dumps(record), flush=True)
        for path in out_files:  # as each variant ends, so a run cut short keeps what it measured
            with path.open("a") as handle:
                handle.write(json.dumps(record) + "\n")

    anchor = next((r for r in results if r["variant"] == "original recipe" and "failed" not in r), None)
    print(f"\ncard: {card}   arithmetic limit ~{limit:,.0f} tokens/s\n")
    print(
        f"{'variant':<30}{'tokens/s':>10}{'s/epoch':>9}{'peak GiB':>10}{'x recipe':>10}{'of limit':>10}{'steady tok/s':>14}{'held-out loss':>22}"
    )
    for r in results:
        if "failed" in r:
            print(f"{r['variant']:<30} failed: {r['failed'][-300:]}")
            continue
        ratio = f"{r['real_tokens_per_second'] / anchor['real_tokens_per_second']:.1f}x" if anchor else "-"
        peak = f"{r['peak_gib']:.1f}" if r.get("peak_gib") is not None else "-"
        steady = f"{r['steady_tokens_per_second']:,.0f}" if r.get("steady_tokens_per_second") else "-"
        loss = r.get("loss") or {}
        losses = f"{loss['test_before']:.4f} -> {loss['test_after']:.4f}" if loss.get("test_after") is not None else "-"
        print(
            f"{r['variant']:<30}{r['real_tokens_per_second']:>10,.0f}{r['train_seconds']:>9.0f}{peak:>10}{ratio:>10}"
            f"{r['real_tokens_per_second'] / limit:>10.0%}{steady:>14}{losses:>22}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
