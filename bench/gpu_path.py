"""The GPU path a user runs, end to end: 04_finetune.py, 05_merge.py, 06_evaluate.py, each timed.

Builds the Llama-2-7B-shaped random model and the brand-shaped corpus (bench/synthetic.py) in
/dev/shm, then runs the three stages one after another exactly as a user would, with the default
config.yaml and only the paths (and the epochs, --epochs) overridden. Each stage runs in its own
process; its wall time is measured here, and its own figures are read back from its manifest:
training throughput and held-out loss (04), every parity figure and its phase timings (05), the
evaluation's wall time and verdict (06). A stage that fails stops the run; what it printed last is
kept in the record.

    python bench/gpu_path.py                 # 3 epochs, the default config
    python bench/gpu_path.py --tiny          # a CPU smoke run on a tiny model

One JSON line per stage and a summary line, appended to bench/results/gpu_path.jsonl (and to
$OUT/gpu_path.jsonl when OUT is set); each stage's full log in the work folder (and $OUT).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402


def stage_record(stage: str, folder: Path) -> dict:
    """The figures a stage's manifest gives about its own run."""
    manifest = json.loads((folder / "manifest.json").read_text())
    record = {"stage_wall_seconds_own": manifest.get("wall_seconds")}
    if stage == "04_finetune.py":
        record.update(
            throughput=manifest.get("throughput"),
            loss=manifest.get("loss"),
            peak_memory_gib=manifest.get("peak_memory_gib"),
            plan=manifest.get("plan"),
        )
    elif stage == "05_merge.py":
        parity = manifest["parity"]
        record.update(
            dtype=manifest["dtype"],
            timings=manifest.get("timings"),
            shards=len(manifest["shards"]),
            passed=not parity["failures"],
            failures=parity["failures"],
            merge=parity["merge"],
            error=parity["error"],
            noise=parity["noise"],
            effect=parity["effect"],
            effect_kept=parity["effect_kept"],
            allowed_logit_diff=parity["allowed_logit_diff"],
            allowed_kl=parity["allowed_kl"],
        )
    elif stage == "06_evaluate.py":
        record.update(counts=manifest.get("counts"), seconds=manifest.get("seconds"), verdict=manifest.get("verdict"))
    return record


def main() -> int:
    parser = synthetic.bench_arguments(__doc__)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    import torch

    work = args.work
    model_dir, dataset_dir, built, _ = synthetic.prepare(work, args.tiny)
    card = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    outputs = {
        "adapter_dir": work / "path-adapter",
        "checkpoints_dir": work / "path-checkpoints",
        "merged_dir": work / "path-merged",
        "eval_dir": work / "path-eval",
    }
    overrides = [
        f"model.base={model_dir}",
        f"paths.dataset_dir={dataset_dir}",
        *(f"paths.{key}={folder}" for key, folder in outputs.items()),
        f"finetune.num_train_epochs={args.epochs}",
        "finetune.save_steps=1000",
    ]
    produced = {"04_finetune.py": outputs["adapter_dir"], "05_merge.py": outputs["merged_dir"], "06_evaluate.py": outputs["eval_dir"]}

    out = Path(os.environ["OUT"]) if os.environ.get("OUT") else None
    results_file = REPO / "bench" / "results" / "gpu_path.jsonl"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "OUT"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    for folder in outputs.values():  # the bench's own folders from an earlier run on this machine
        shutil.rmtree(folder, ignore_errors=True)

    records = []
    for stage, folder in produced.items():
        log_path = work / f"{stage.removesuffix('.py')}.log"
        started = time.time()
        with log_path.open("w") as log:
            result = subprocess.run(
                [sys.executable, str(REPO / stage), "--config", str(REPO / "config.yaml"), *overrides],
                cwd=work,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        record = {
            "stage": stage,
            "card": card,
            "tiny": args.tiny,
            "epochs": args.epochs,
            "wall_seconds": round(time.time() - started, 1),
            "returncode": result.returncode,
        }
        if out:
            (out / log_path.name).write_text(log_path.read_text()[-200_000:])
        if result.returncode == 0:
            record.update(stage_record(stage, folder))
        else:
            record["log_tail"] = log_path.read_text()[-2000:]
        records.append(record)
        print(json.dumps(record), flush=True)
        for path in [results_file] + ([out / "gpu_path.jsonl"] if out else []):
            with path.open("a") as handle:
                handle.write(json.dumps(record) + "\n")
        if result.returncode != 0:
            return 1

    summary = {
        "summary": "gpu_path",
        "card": card,
        "model_built_s": round(built, 1),
        **{r["stage"]: r["wall_seconds"] for r in records},
        "total_s": round(sum(r["wall_seconds"] for r in records), 1),
    }
    print(json.dumps(summary), flush=True)
    for path in [results_file] + ([out / "gpu_path.jsonl"] if out else []):
        with path.open("a") as handle:
            handle.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
