"""Stage 4's trainer callbacks: the live JSONL log, checkpoints that resume exactly after an epoch's
held-out evaluation, and the best adapter kept for early stopping."""

from __future__ import annotations

from pathlib import Path

from transformers import TrainerCallback

from brandtone import atomic


class JsonlLogCallback(TrainerCallback):
    """Rewrites `training_log.jsonl` from the trainer's log history at every log (main process).

    The history survives a resume (it is part of each checkpoint), so the file
    is always the whole run's, without the steps a killed run did after its
    last checkpoint.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero:
            atomic.write_jsonl(self.path, state.log_history)


class SaveAfterEpochEvaluation(TrainerCallback):
    """Moves a checkpoint due at the last step of an epoch (or of the run) to after that epoch's held-out
    evaluation, so that resuming from it is exactly the uninterrupted run.

    transformers saves a step's checkpoint at the step's end and evaluates at the epoch's end, after it.
    A checkpoint taken before the evaluation lacks the evaluation's loss in its log history, which the
    resumed run then never measures, and its random-number state lacks the draw the evaluation's data
    loader makes (every DataLoader iterator takes a seed from torch's generator), so a resumed run's
    dropout masks differ from then on and so does its adapter. Runs after the default flow callback,
    which sets `should_save`.
    """

    def __init__(self):
        self.deferred = False

    def on_step_end(self, args, state, control, **kwargs):
        ends_epoch = state.epoch is not None and float(state.epoch).is_integer()
        if control.should_save and (ends_epoch or state.global_step >= state.max_steps):
            control.should_save, self.deferred = False, True

    def on_epoch_end(self, args, state, control, **kwargs):
        if self.deferred:
            control.should_save, self.deferred = True, False


BEST_OWNER = "finetune/best_adapter"


class BestAdapterCallback(TrainerCallback):
    """Saves the adapter at each new best held-out loss, for restoring after early stopping."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
        loss = (metrics or {}).get(args.metric_for_best_model or "eval_loss")  # the split early stopping selects on
        if loss is None:
            return  # another split's evaluation (the test split's, logged beside the validation split's)
        is_best = state.best_metric is None or loss < state.best_metric
        if state.global_step > 0 and is_best and state.is_world_process_zero and model is not None:
            with atomic.output_dir(self.folder, owner=BEST_OWNER) as tmp:  # its claim manifest marks it this callback's
                model.save_pretrained(tmp)
