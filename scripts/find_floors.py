"""Find the lowest versions of the model stack that the suite's fast subset passes with.

    python scripts/find_floors.py check transformers==5.10.0     # one trial
    python scripts/find_floors.py bisect transformers            # the lowest passing release
    python scripts/find_floors.py bisect trl --since 1.0 --guess 1.14.0   # from 1.0 on, 1.14.0 tried first

A trial brings one virtual environment (default /tmp/brandtone-floors/venv, made if missing) to the
versions asked for: each package of brandtone.floors.FLOORS is pinned, to the version named on the
command line or else to the version installed beside the Python running this script (the "current
set"); everything else comes from requirements.txt as it says. It then runs FAST_SUBSET with
`pytest -x` and appends one JSON line per trial to --log: the pins, the versions pip actually
installed, pass or fail, and the first error (pip's or the failing test's summary line).

`bisect` tries the final releases of one package from --since (default: its floor in
brandtone/floors.py, so a rerun that looks lower passes --since) up to the current version, which
must pass, and finds the lowest that passes,
assuming that a release passes when a later one fails nowhere in between. The last failing trial
is the release just below the floor: its error is the reason for the floor.

The stages' start-up check is switched off for the trials (BRANDTONE_IGNORE_FLOORS), since going
below today's floors is the point. Installs and tests run under `nice -n 15`. torch: only the wheels on this machine's disk are cheap
(see bench/NOTES.md); pin it explicitly only to those.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version as installed_version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from brandtone.floors import FLOORS  # noqa: E402  (after the repo is on sys.path)

# Config, text/chat formats, stage 4 on tiny random Llamas (4-bit base, packed padding-free and
# padded batches, varlen and SDPA attention on the CPU, resume, a clean training log), merge,
# parity, GGUF export read back, fused LoRA, stage 6's model code. No Chromium, no demo-model
# training (`slow`).
FAST_SUBSET = (
    "tests/test_floors.py",
    "tests/test_config.py",
    "tests/test_config_schema.py",
    "tests/test_foundation.py",
    "tests/test_textformat.py",
    "tests/stages/test_04_finetune.py",
    "tests/finetune/test_data.py",
    "tests/finetune/test_loss.py",
    "tests/finetune/test_trainer.py",
    "tests/finetune/test_train.py",
    "tests/finetune/test_plan.py::test_automatic_optimizer_is_fused_adamw_on_a_gpu_while_its_states_are_small",
    "tests/finetune/test_plan.py::test_compile_is_decided_from_the_planned_tokens_and_refuses_what_cannot_compile",
    "tests/finetune/test_fused_lora.py",
    "tests/merge/test_parity.py",
    "tests/evaluate/test_models.py",
    "tests/merge/test_export.py",
    "tests/test_models.py",
)
# Slow on 2 cores and not about library versions: torch.compile on the CPU (torch is not bisected),
# more faults for the parity judge, a second sampling check.
PARITY = "tests/merge/test_parity.py::test_a_correct_bf16_merge_passes_and_each_wrong_merge_fails"
LEFT_OUT = (
    "tests/finetune/test_train.py::test_compiled_decoder_layers_train_to_the_same_losses",
    "tests/evaluate/test_models.py::test_sampling_is_reproducible_per_seed",
    *(
        f"{PARITY}[{case}]"
        for case in ("doubled-scaling", "layer-left-out", "saved-in-fp16", "saved-copy-doubled", "saved-copy-layer-left-out")
    ),
)
NICE = ["nice", "-n", "15"]


def released_versions(name: str) -> list[Version]:
    """Final releases of `name` on the package index, oldest first (`pip index versions`)."""
    out = subprocess.run([sys.executable, "-m", "pip", "index", "versions", name], capture_output=True, text=True, check=True).stdout
    listed = re.search(r"Available versions: (.*)", out).group(1).split(", ")
    return sorted({Version(v) for v in listed if not Version(v).is_prerelease and not Version(v).local})


def current_set() -> dict[str, str]:
    """The versions of FLOORS' packages installed beside this script's Python."""
    return {name: installed_version(name) for name in FLOORS}


def other_requirements() -> list[str]:
    """requirements.txt without the lines of FLOORS' packages (those are pinned per trial)."""
    lines = []
    for line in (REPO / "requirements.txt").read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text and Requirement(text).name.lower() not in FLOORS:
            lines.append(text)
    return lines


def install(venv: Path, pins: dict[str, str]) -> tuple[bool, str]:
    """Bring `venv` to `pins` plus the other requirements; (ok, pip's error lines)."""
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [*NICE, str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # torch on its own first: in one resolution with the rest pip may prefer a CUDA build from the index.
    steps = [[f"torch=={pins['torch']}"], [f"{name}=={v}" for name, v in pins.items()] + other_requirements()]
    for args in steps:
        done = subprocess.run([*pip, *args], capture_output=True, text=True)
        if done.returncode:
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR") or " depends on " in line]
            return False, " | ".join(errors[-3:]) or done.stderr.strip()[-500:]
    return True, ""


def venv_versions(venv: Path) -> dict[str, str]:
    """What pip actually installed of FLOORS' packages (a pin may be satisfied by a local build)."""
    code = "import json, importlib.metadata as m; print(json.dumps({n: m.version(n) for n in %r}))" % list(FLOORS)
    return json.loads(subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True).stdout)


def run_subset(venv: Path, timeout: float) -> tuple[bool, str]:
    """pytest -x over FAST_SUBSET; (passed, the summary line of the first failure or the counts)."""
    # COLUMNS: pytest cuts its summary lines, the error message with them, to the terminal's width.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "BRANDTONE_IGNORE_FLOORS": "1", "COLUMNS": "2000"}
    env.pop("PYTHONPATH", None)
    command = [
        *NICE,
        str(venv / "bin" / "python"),
        "-m",
        "pytest",
        "-x",
        "-q",
        "-m",
        "not slow",
        "-p",
        "no:cacheprovider",
        "--tb=short",
        *(f"--deselect={test}" for test in LEFT_OUT),
        *FAST_SUBSET,
    ]
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:.0f} s"
    lines = done.stdout.splitlines()
    # The summary names the test and its error; a collection error's own line starts with "E ".
    failures = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    failures += [line for line in lines if line.startswith("E ")][:1]
    counts = next((line.strip("= ") for line in reversed(lines) if re.search(r"\d+ (passed|failed|error)", line)), "")
    if done.returncode == 0:
        return True, counts
    return False, (" | ".join(failures[:2]) if failures else (done.stdout + done.stderr).strip()[-800:]) + f" ({counts})"


def trial(venv: Path, changes: dict[str, str], log: Path, timeout: float) -> bool:
    """Install the current set with `changes` applied, run the subset, log and print one line."""
    pins = {**current_set(), **changes}
    started = time.monotonic()
    ok, detail = install(venv, pins)
    record = {"changed": changes, "pins": pins, "stage": "install"}
    if ok:
        record["installed"] = venv_versions(venv)
        record["stage"] = "tests"
        ok, detail = run_subset(venv, timeout)
    record.update(passed=ok, detail=detail, seconds=round(time.monotonic() - started), date=time.strftime("%Y-%m-%d %H:%M"))
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    print(f"{'PASS' if ok else 'FAIL'} {changes or 'current set'} ({record['seconds']} s): {detail}", flush=True)
    return ok


def bisect(name: str, since: Version, guess: Version | None, venv: Path, log: Path, timeout: float) -> Version:
    current = Version(current_set()[name]).release
    candidates = [v for v in released_versions(name) if since <= v and v.release <= current]
    low, high = 0, len(candidates) - 1  # candidates[high] is the current version: assumed to pass
    print(f"{name}: {len(candidates)} releases from {candidates[0]} to {candidates[-1]}", flush=True)
    # A guess is tried first, then its neighbour (the release below it if it passed, above if it
    # failed): a right guess settles the floor in two trials; then plain halving.
    if guess and guess not in candidates:
        sys.exit(f"--guess {guess}: not a release of {name} between {candidates[0]} and {candidates[-1]}")
    hint, hint_trials = (candidates.index(guess) if guess else None), 2
    while low < high:
        middle = hint if hint is not None and hint_trials and low <= hint < high else (low + high) // 2
        passed = trial(venv, {name: str(candidates[middle])}, log, timeout)
        if passed:
            high = middle
        else:
            low = middle + 1
        if middle == hint:
            hint, hint_trials = (middle - 1 if passed else middle + 1), hint_trials - 1
    print(
        f"{name}: lowest passing release {candidates[low]}"
        + (" (the lowest tried: pass a lower --since to look further)" if low == 0 else "")
    )
    return candidates[low]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=Path("/tmp/brandtone-floors/venv"))
    parser.add_argument("--log", type=Path, default=REPO / "bench" / "measured" / "floors.jsonl")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for one run of the subset")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="one trial: NAME==VERSION ... (none: the current set)")
    check.add_argument("pins", nargs="*")
    search = commands.add_parser("bisect", help="the lowest passing release of one package")
    search.add_argument("name", choices=sorted(FLOORS))
    search.add_argument("--since", type=Version, help="lowest release to try (default: its floor)")
    search.add_argument("--guess", type=Version, help="a release thought to be the floor: tried first")
    args = parser.parse_args()
    if args.command == "check":
        changes = dict(pin.split("==", 1) for pin in args.pins)
        sys.exit(0 if trial(args.venv, changes, args.log, args.timeout) else 1)
    bisect(args.name, args.since or Version(FLOORS[args.name]), args.guess, args.venv, args.log, args.timeout)


if __name__ == "__main__":
    main()
