"""Where a training step of 04_finetune.py spends its time: step times and a torch profile.

Runs 04_finetune.py in this process, unchanged, with one callback added to its
trainer. The callback times every optimizer step on the device's own timeline (CUDA
events, which add no waits: the host runs ahead of the GPU, so host-side step times
leave out the GPU work that spills past a step's end and into the Trainer's logging),
profiles a window of steps with torch.profiler (synchronising the device around each
step of it), and at the end prints the warm-up step, the steady rate (real tokens of
steps 2..N over the device time from the start of step 2 to the end of step N), and
the operators that took the most device and host time.

    python bench/profile_train.py [--profile-steps 8:12] [--table-rows 25] [--sync-step 6] -- [04_finetune.py arguments]
    python bench/profile_train.py -- --config configs/demo.yaml paths.adapter_dir=/tmp/a   # the demo, on the CPU
    python bench/profile_train.py --as-card t4 -- ...             # the plan a T4 gets, run on this GPU
    python bench/profile_train.py --without-package liger_kernel -- ...   # as if liger-kernel were not installed
    python bench/profile_train.py --lever-off shared_inputs -- ...        # one speed lever switched off (LEVERS)

With $OUT set, the tables and step times are also written there (profile-<label>.txt).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import runpy
import statistics
import sys
import time
import traceback
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import torch  # noqa: E402
from transformers import TrainerCallback  # noqa: E402

from brandtone import memory as shared_memory  # noqa: E402
from brandtone.finetune import card as finetune_card  # noqa: E402
from brandtone.finetune import fused_lora  # noqa: E402
from brandtone.finetune import loss as finetune_loss  # noqa: E402
from brandtone.finetune import train as finetune_train  # noqa: E402
from brandtone.memory import GIB, Device  # noqa: E402

# Cards whose plan can be run on the bench GPU: the plan stage 4 makes for them (dtype, attention kernel,
# Liger, batch and checkpointing from their compute capability and memory), executed on this card
CARDS = {
    "t4": Device("cuda", "Tesla T4 (its plan, run on the bench GPU)", 15 * GIB, (7, 5)),
    "v100": Device("cuda", "Tesla V100 16GB (its plan, run on the bench GPU)", 16 * GIB, (7, 0)),
}
# Speed levers of issue 29, each switchable off to measure what it gives: (module, attribute, value when off)
LEVERS = {
    "uncompacted_lm_head": (finetune_loss, "applies", lambda model: False),  # back to TRL's compacting head
    "shared_inputs": (fused_lora, "SHARED_INPUT_GROUPS", ()),  # q/k/v and gate/up as separate products
    "fold": (fused_lora, "FOLD_UPDATE_INTO_WEIGHT", False),  # the low-rank update added to the output
}


def _mark():
    """Now, on the device's timeline: a CUDA event (timed when the GPU reaches it), or the host's clock."""
    if torch.cuda.is_available():
        event = torch.cuda.Event(enable_timing=True)
        event.record()
        return event
    return time.perf_counter()


def _seconds(start, end) -> float:
    return start.elapsed_time(end) / 1000 if torch.cuda.is_available() else end - start


class StepProfiler(TrainerCallback):
    """Times each optimizer step, profiles steps [first, last) with torch.profiler, and lists where
    the host waited for the GPU during step `sync_step` (PyTorch's sync debug mode)."""

    def __init__(self, first: int, last: int, table_rows: int, sync_step: int = -1):
        self.first, self.last, self.table_rows, self.sync_step = first, last, table_rows, sync_step
        self.syncs: collections.Counter = collections.Counter()
        self.trainer = None
        self.steps: list[tuple[int, float, int]] = []  # (step, host seconds, real tokens)
        self.marks: list[tuple] = []  # (begin, end) of each step on the device's timeline
        self.profiler = None
        self.tables: list[str] = []
        self.train_began = self.first_step_began = self.last_step_ended = self.train_ended = None

    def _sync(self):
        # only while profiling: a sync at every step boundary would stop the host from queueing the next
        # step early and slow the run it measures
        if torch.cuda.is_available() and self.last > self.first:
            torch.cuda.synchronize()

    def _record_sync(self, message, category, filename, lineno, file=None, line=None):
        """warnings.showwarning while sync debugging: counts each synchronising call by the innermost
        frame of our code, TRL's, transformers', peft's, accelerate's or bitsandbytes' that made it."""
        ours = ("brandtone", "/trl/", "/transformers/", "/peft/", "/accelerate/", "/bitsandbytes/")
        frames = [f for f in traceback.extract_stack()[:-1] if any(part in f.filename for part in ours)]
        where = f"{frames[-1].filename.split('site-packages/')[-1]}:{frames[-1].lineno} {frames[-1].name}" if frames else filename
        self.syncs[where] += 1

    def on_train_begin(self, args, state, control, **kwargs):
        self.train_began = time.perf_counter()

    def on_train_end(self, args, state, control, **kwargs):
        self.train_ended = time.perf_counter()

    def on_step_begin(self, args, state, control, **kwargs):
        if state.global_step == self.sync_step and torch.cuda.is_available():
            self._warnings = warnings.catch_warnings()
            self._warnings.__enter__()
            warnings.simplefilter("always")
            warnings.showwarning = self._record_sync
            torch.cuda.set_sync_debug_mode("warn")
        self._sync()
        self._began, self._tokens_before = time.perf_counter(), self.trainer.seen["tokens"]
        self._began_on_device = _mark()
        if self.first_step_began is None:
            self.first_step_began = self._began
        if state.global_step == self.first and self.last > self.first:
            activities = [torch.profiler.ProfilerActivity.CPU]
            if torch.cuda.is_available():
                activities.append(torch.profiler.ProfilerActivity.CUDA)
            self.profiler = torch.profiler.profile(activities=activities, record_shapes=False)
            self.profiler.__enter__()

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.sync_step + 1 and torch.cuda.is_available():
            torch.cuda.set_sync_debug_mode("default")
            self._warnings.__exit__(None, None, None)
            self.tables.append(
                f"# step {self.sync_step + 1}: {sum(self.syncs.values())} host-device synchronisations, by caller\n"
                + "\n".join(f"{count:4d}  {where}" for where, count in self.syncs.most_common())
            )
        self._sync()
        self.marks.append((self._began_on_device, _mark()))
        self.last_step_ended = time.perf_counter()
        self.steps.append((state.global_step, self.last_step_ended - self._began, self.trainer.seen["tokens"] - self._tokens_before))
        if self.profiler is not None and state.global_step == self.last:
            self.profiler.__exit__(None, None, None)
            averages = self.profiler.key_averages()
            device_key = "self_cuda_time_total" if torch.cuda.is_available() else "self_cpu_time_total"
            self.tables.append(
                f"# steps {self.first + 1}-{self.last}: by self device time\n"
                + averages.table(sort_by=device_key, row_limit=self.table_rows)
            )
            if torch.cuda.is_available():
                self.tables.append(
                    f"# steps {self.first + 1}-{self.last}: by self host (CPU) time\n"
                    + averages.table(sort_by="self_cpu_time_total", row_limit=self.table_rows)
                )
            self.tables.append(
                f"# steps {self.first + 1}-{self.last}: by host time including callees (the phases of a step)\n"
                + averages.table(sort_by="cpu_time_total", row_limit=self.table_rows)
            )
            self.profiler = None

    def summary(self) -> dict:
        """Step figures on the device's timeline: a step lasts from its start to the next step's start
        (the last one to its end), so the time between steps (data, logging) belongs to the step before."""
        if torch.cuda.is_available():
            torch.cuda.synchronize()  # every event has been reached
        starts = [begin for begin, _ in self.marks]
        times = [_seconds(a, b) for a, b in zip(starts, starts[1:] + [self.marks[-1][1]])] if self.marks else []
        tokens = [count for _, _, count in self.steps]
        host = [seconds for _, seconds, _ in self.steps]
        steady_seconds = _seconds(starts[1], self.marks[-1][1]) if len(self.marks) > 1 else None
        return {
            "steps": len(times),
            "first_step_s": round(times[0], 3) if times else None,
            "median_step_s": round(statistics.median(times), 4) if times else None,
            "max_step_s": round(max(times), 3) if times else None,
            "tokens_per_step": round(statistics.mean(tokens), 1) if tokens else None,
            "steady_tokens_per_s": round(sum(tokens[1:]) / steady_seconds, 1) if steady_seconds else None,
            "all_steps_tokens_per_s": round(sum(tokens) / sum(times), 1) if times else None,
            # the figure earlier records called steady: host time from each step's start to its end only
            "host_steady_tokens_per_s": round(sum(tokens[1:]) / sum(host[1:]), 1) if len(host) > 1 else None,
            # where train() spends time outside the optimizer steps (the held-out evaluations are in these too)
            "before_first_step_s": round(self.first_step_began - self.train_began, 3)
            if self.first_step_began and self.train_began
            else None,
            "after_last_step_s": round(self.train_ended - self.last_step_ended, 3) if self.train_ended and self.last_step_ended else None,
            "peak_gib": round(torch.cuda.max_memory_allocated() / 1024**3, 2) if torch.cuda.is_available() else None,
            "profiled_steps": [s for s, _, _ in self.steps if self.first < s <= self.last],
            "syncs_in_step": sum(self.syncs.values()) if self.sync_step >= 0 else None,
            "step_times_s": [round(t, 3) for t in times],
            "host_step_times_s": [round(t, 3) for t in host],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile-steps", default="8:12", help="profile optimizer steps FIRST+1..LAST (FIRST:LAST; 0:0 = none)")
    parser.add_argument("--table-rows", type=int, default=25)
    parser.add_argument("--label", default="run")
    parser.add_argument(
        "--sync-step",
        type=int,
        default=-1,
        help="list the host-device synchronisations of optimizer step N+1 (which the debugging slows a little)",
    )
    parser.add_argument("--as-card", choices=CARDS, help="plan for this card (its plan runs on the GPU at hand)")
    parser.add_argument("--without-package", action="append", default=[], help="plan as if this kernel package were not installed")
    parser.add_argument("--lever-off", action="append", default=[], choices=LEVERS, help="switch a speed lever off")
    parser.add_argument("finetune_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.as_card:  # before 04_finetune.py imports it
        detect, card = shared_memory.detect_device, CARDS[args.as_card]
        shared_memory.detect_device = lambda kind: card if kind == "cuda" else detect(kind)
    if args.without_package:
        installed = finetune_card.installed_kernels
        finetune_card.installed_kernels = lambda: installed() - set(args.without_package)
    for lever in args.lever_off:
        module, name, value = LEVERS[lever]
        setattr(module, name, value)
    first, last = (int(x) for x in args.profile_steps.split(":"))
    callback = StepProfiler(first, last, args.table_rows, args.sync_step)

    build_trainer = finetune_train.build_trainer

    def build_trainer_with_profiler(*a, callbacks=(), **kw):
        trainer = build_trainer(*a, callbacks=(*callbacks, callback), **kw)
        callback.trainer = trainer
        return trainer

    finetune_train.build_trainer = build_trainer_with_profiler
    stage = runpy.run_path(str(REPO / "04_finetune.py"), run_name="profiled_finetune")
    finetune_args = [a for a in args.finetune_args if a != "--"]
    try:
        code = stage["main"](finetune_args)
    finally:
        summary = {"label": args.label, **callback.summary()}
        report = "\n\n".join([json.dumps(summary), *callback.tables])
        print(report, flush=True)
        if os.environ.get("OUT"):
            Path(os.environ["OUT"], f"profile-{args.label}.txt").write_text(report + "\n")
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
