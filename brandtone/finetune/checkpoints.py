"""Stage 4's checkpoints folder, and what a rerun does with the checkpoints already in it.

Resumable checkpoints are deleted only when the user asks for it:

    04_finetune.py                    continue when the checkpoints' settings match, else stop and say which flag to use
    04_finetune.py --resume [PATH]    continue from PATH or the latest finished checkpoint; the settings must match
    04_finetune.py --fresh            delete this stage's own checkpoints and logs in the folder, start over

The choice is made before any data or weights load, so --dry-run shows it and a
refusal is a ConfigError (exit code 2). Only the names this stage writes
(checkpoint-N, best_adapter, tensorboard, final, training_log.jsonl, run.json)
are ever deleted, in a folder whose manifest says stage 4 made it.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from brandtone import atomic, manifest
from brandtone.config import ConfigError
from brandtone.config_schema import Config

log = logging.getLogger(__name__)

OWNER = "finetune/checkpoints"  # see brandtone.ownership
LATEST = "latest"  # the value of a bare --resume
RUN_FILE = "run.json"  # what the checkpoints were trained on
LOG_FILE = "training_log.jsonl"
BEST_ADAPTER = "best_adapter"
TENSORBOARD = "tensorboard"
FINAL = "final"  # the finished adapter as the Trainer saves it, before it is copied into paths.adapter_dir
RUNNING_LOSS = "running_loss.json"  # in each checkpoint-N: the training loss so far (ResumableRunningLoss)
# Keys that may change between a run and its resumption without changing the result
RESUME_TOLERATED_KEYS = {"save_steps", "save_total_limit", "logging_steps", "early_stopping_patience", "report_to"}
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


def latest_checkpoint(checkpoints_dir: Path) -> Optional[Path]:
    """The newest checkpoint whose trainer state was written, i.e. one that finished saving.

    The Trainer writes a checkpoint folder file by file and its trainer state
    last, so a run killed while saving leaves a folder without it: skip those.
    """
    complete = [
        (int(match.group(1)), path)
        for path in Path(checkpoints_dir).glob("checkpoint-*")
        if (match := _CHECKPOINT.match(path.name)) and (path / "trainer_state.json").is_file()
    ]
    return max(complete)[1] if complete else None


def run_settings(config: Config, dataset_fingerprint: Optional[str]) -> dict[str, Any]:
    """What a checkpoint depends on; resuming refuses checkpoints made with other settings."""
    finetune = config.section_dict("finetune")["finetune"]
    return {
        "model.base": config.model.base,
        "model.revision": config.model.revision,
        "dataset": dataset_fingerprint,
        **{f"finetune.{k}": v for k, v in finetune.items() if k not in RESUME_TOLERATED_KEYS},
        # early stopping on or off changes the training texts (a validation split is carved from them)
        "finetune.validation_share": finetune["validation_share"] if finetune["early_stopping_patience"] is not None else None,
    }


@dataclass(frozen=True)
class Start:
    """How this run starts: from a checkpoint, or fresh after clearing the previous run's files."""

    resume_from: Optional[Path]
    clear: tuple[Path, ...]
    why: str


def choose_start(checkpoints_dir: Path, settings: dict[str, Any], resume: Optional[str], fresh: bool) -> Start:
    """Decide from the folder and the flags (`resume`: None, LATEST or a checkpoint path)."""
    folder = Path(checkpoints_dir)
    latest = latest_checkpoint(folder)
    leftovers = tuple(_previous_run(folder))
    if fresh:
        return Start(None, leftovers, f"fresh start (--fresh): deleting {_count(leftovers)} in {folder}" if leftovers else "fresh start")
    if resume is not None:
        checkpoint = latest if resume == LATEST else _named_checkpoint(folder, Path(resume), latest)
        if checkpoint is None:
            raise ConfigError(f"--resume: no finished checkpoint in {folder}: run 04_finetune.py without --resume")
        changed = _changed_settings(folder, settings, checkpoint)
        if changed:
            raise ConfigError(
                f"--resume: {checkpoint} was trained with different {changed}: restore those settings, or pass --fresh to start over"
            )
        return Start(checkpoint, (), f"resume from {checkpoint} (--resume)")
    if latest is None:  # nothing resumable: whatever a killed run left before its first checkpoint goes
        return Start(
            None, leftovers, f"fresh start: deleting {_count(leftovers)} of an unfinished run in {folder}" if leftovers else "fresh start"
        )
    changed = _changed_settings(folder, settings, latest)
    if changed:
        raise ConfigError(
            f"paths.checkpoints_dir: {latest} was trained with different {changed}: pass --fresh to delete the"
            " checkpoints and start over, or restore those settings to continue that run"
        )
    return Start(latest, (), f"resume from {latest} (same settings; --fresh starts over)")


def prepare(checkpoints_dir: Path, start: Start, settings: dict[str, Any]) -> None:
    """Main process, once the processes are set up: claim the folder, clear what `start` says,
    and record a fresh run's settings."""
    folder = Path(checkpoints_dir)
    manifest.claim(folder, OWNER)
    for path in start.clear:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    if start.resume_from is None:
        atomic.write_json(folder / RUN_FILE, {"settings": settings})


def _previous_run(folder: Path) -> list[Path]:
    """This stage's own files in the folder (never anything else in it)."""
    named = [path for path in sorted(folder.glob("checkpoint-*")) if _CHECKPOINT.match(path.name)]
    return [path for path in [*named, *(folder / name for name in (BEST_ADAPTER, TENSORBOARD, FINAL, LOG_FILE))] if path.exists()]


def _count(paths: tuple[Path, ...]) -> str:
    checkpoints = sum(bool(_CHECKPOINT.match(p.name)) for p in paths)
    others = [p.name for p in paths if not _CHECKPOINT.match(p.name)]
    return ", ".join([f"{checkpoints} checkpoint(s)"] * bool(checkpoints) + others)


def _named_checkpoint(folder: Path, path: Path, latest: Optional[Path]) -> Path:
    if not (path / "trainer_state.json").is_file():
        raise ConfigError(f"--resume {path}: not a finished checkpoint (no trainer_state.json in it)")
    if not _CHECKPOINT.match(path.name) or path.resolve().parent != folder.resolve():
        raise ConfigError(
            f"--resume {path}: not a checkpoint-N folder of paths.checkpoints_dir ({folder}): set paths.checkpoints_dir to the folder it is in"
        )
    if latest is not None and latest.resolve() != path.resolve():
        raise ConfigError(
            f"--resume {path}: {folder} also holds the later {latest.name}, which the resumed run would mix with its own:"
            " move the later checkpoints out of the folder first, or resume from the latest"
        )
    return path


def _changed_settings(folder: Path, settings: dict[str, Any], checkpoint: Path) -> str:
    """The settings that differ from the checkpoints' (comma-separated), or ''."""
    try:
        saved = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))["settings"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError(
            f"paths.checkpoints_dir: {folder / RUN_FILE} is missing or unreadable, so {checkpoint.name} cannot be checked"
            " against the settings: pass --fresh to start over"
        ) from None
    return ", ".join(sorted(key for key in set(saved) | set(settings) if saved.get(key) != settings.get(key)))


class ResumableRunningLoss:
    """Trainer mixin: a resumed run logs the training loss the uninterrupted run would have.

    transformers starts its running loss from zero when it resumes, so the first window logged after
    a resume averaged only the steps since the checkpoint, and the final train_loss only the resumed
    steps (4.354 uninterrupted, 3.636 resumed, for the same adapter). Each checkpoint records the loss
    summed over the windows logged so far, the loss of the steps since the last log and that log's
    step (running_loss.json); the resumed run puts them back before its first step is logged, and its
    final train_loss is the whole run's. A checkpoint without the file (an older brandtone) resumes
    as before, with a warning.
    """

    _restore_loss: Optional[dict] = None
    _loss_restored = False
    _pending_loss = None  # the loop's running loss tensor, as it was last handed to _maybe_log_save_evaluate

    def train(self, resume_from_checkpoint=None, *args, **kwargs):
        if resume_from_checkpoint:
            path = Path(resume_from_checkpoint) / RUNNING_LOSS
            try:
                self._restore_loss = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                log.warning(
                    "%s has no %s: the first logged window and train_loss after the resume cover only the resumed steps",
                    resume_from_checkpoint,
                    RUNNING_LOSS,
                )
        return super().train(resume_from_checkpoint, *args, **kwargs)

    def _maybe_log_save_evaluate(self, tr_loss, *args, **kwargs):
        if self._restore_loss is not None:  # the first step after the resume, before anything is logged
            restored, self._restore_loss = self._restore_loss, None
            self._total_loss_scalar += restored["logged_total"]
            tr_loss += restored["since_last_log"]  # every process's share: the log takes their mean
            self._globalstep_last_logged = restored["last_logged_step"]
            self._loss_restored = True
        self._pending_loss = tr_loss
        return super()._maybe_log_save_evaluate(tr_loss, *args, **kwargs)

    def _save_checkpoint(self, model, trial):
        from transformers.trainer_pt_utils import nested_gather

        super()._save_checkpoint(model, trial)
        if self._pending_loss is None:  # not saved from the training loop: nothing to record
            return
        pending = nested_gather(self._pending_loss, self.args.parallel_mode).mean().item()  # every process takes part
        if self.args.should_save:
            folder = Path(self._get_output_dir(trial=trial)) / f"checkpoint-{self.state.global_step}"
            atomic.write_json(
                folder / RUNNING_LOSS,
                {"logged_total": self._total_loss_scalar, "since_last_log": pending, "last_logged_step": self._globalstep_last_logged},
            )

    def log(self, logs: dict, *args, **kwargs) -> None:
        if "train_loss" in logs and (self._loss_restored or self._restore_loss is not None):
            unused = self._restore_loss or {}  # a run resumed at its last step has no step to restore into
            total = self._total_loss_scalar + unused.get("logged_total", 0.0) + unused.get("since_last_log", 0.0)
            logs["train_loss"] = total / max(self.state.global_step, 1)
        super().log(logs, *args, **kwargs)
