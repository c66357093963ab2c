"""Stage 4: teach the base model the brand's tone with 4-bit QLoRA.

Reads    paths.dataset_dir      stage 3's DatasetDict (train, test) and its manifest.json
         model.base             a Llama-family causal LM (local folder or Hub id; HF_TOKEN for gated ones)
Writes   paths.checkpoints_dir  resumable checkpoints every finetune.save_steps, tensorboard/ (finetune.report_to),
                                training_log.jsonl (live), run.json (the settings checkpoints belong to),
                                manifest.json (marks the folder stage 4's: only such a folder is written into)
         paths.adapter_dir      adapter_model.safetensors + adapter_config.json, the tokenizer,
                                config.yaml (resolved), training_log.jsonl, loss_curve.png, manifest.json,
                                README.md (model card; pushed with finetune.push_to_hub)
Assumes  every training text is trained in the shared formats of brandtone.textformat, those in
         finetune.formats: continuation (leading special tokens, the text, end-of-text; every token
         learned) and chat (stage 3's request and the text rendered by the model's chat template, or by
         PLAIN_CHAT_TEMPLATE when it has none, which is then saved with the adapter's tokenizer; only
         the answer and its end-of-turn learned). The pad token is never an end and never in the loss.

The base model is loaded in 4-bit NF4 (bitsandbytes), LoRA adapters are trained
with TRL's SFTTrainer on packed rows in which each text attends only to itself,
the held-out loss is measured before training and after every epoch, and the
adapter is written atomically at the end.

Checkpoints of an earlier run are never deleted unless --fresh says so: a rerun
continues them when the settings match (so a killed run resumes by running the
same command again) and otherwise stops, saying which flag to use.

    python 04_finetune.py [--config config.yaml] [--dry-run] [--resume [CHECKPOINT] | --fresh] [section.key=value ...]
    accelerate launch --num_processes 2 04_finetune.py ...     # data parallel, one 4-bit copy per GPU
    accelerate launch --multi_gpu --num_processes 2 04_finetune.py finetune.device=cpu ...   # the same on CPUs (gloo)
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from brandtone import atomic, cli, manifest, model_card, ownership
from brandtone.config import ConfigError, to_yaml
from brandtone.credentials import redact
from brandtone.errors import StageError
from brandtone.finetune import checkpoints
from brandtone.finetune.data import chat_template_for, rows_per_epoch, tokenize_split
from brandtone.finetune.plan import describe, make_plan, oom_error, warmup_problem, with_steps
from brandtone.finetune.results import loss_summary, plot_loss_curve, test_loss
from brandtone.finetune.shape import model_shape
from brandtone.hub import push_folder
from brandtone.memory import detect_device
from brandtone.models import check_model_source, load_tokenizer, resolve_device
from brandtone.splits import CHAT_COLUMNS, carve_validation, load_splits

SECTIONS = ("paths", "model", "finetune")


def add_arguments(parser) -> None:
    start = parser.add_mutually_exclusive_group()
    start.add_argument(
        "--resume",
        nargs="?",
        const=checkpoints.LATEST,
        default=None,
        action=cli.OptionalValue,
        metavar="CHECKPOINT",
        help="continue from CHECKPOINT (a checkpoint-N folder in paths.checkpoints_dir), by default the latest",
    )
    start.add_argument(
        "--fresh", action="store_true", help="delete this stage's checkpoints and logs in paths.checkpoints_dir and start over"
    )


def main(argv=None) -> int:
    config, args, log = cli.start("finetune", __doc__, add_arguments, argv, sections=SECTIONS)
    started = time.time()
    paths, finetune = config.paths, config.finetune

    # 1. Every path, the model and the checkpoints already there: problems are one line, before any work.
    not_there = ownership.check_paths(
        reads={"paths.dataset_dir": (paths.dataset_dir, "dataset")},
        writes={"paths.checkpoints_dir": (paths.checkpoints_dir, checkpoints.OWNER), "paths.adapter_dir": (paths.adapter_dir, "finetune")},
        dry_run=args.dry_run,
    )
    check_model_source(config.model.base)
    settings = checkpoints.run_settings(config, manifest.fingerprint(paths.dataset_dir))
    start = checkpoints.choose_start(paths.checkpoints_dir, settings, args.resume, args.fresh)

    # 2. Where and how we train: the device (its compute capability and memory decide the compute dtype,
    #    the attention kernel, Liger, the batch), the chat template and every `auto` choice, decided from the
    #    tokenizer and the model's config on the meta device (no weights loaded yet).
    device = resolve_device(finetune.device)
    tokenizer = load_tokenizer(config.model.base, config.model)  # its pad token may add an embedding row
    chat_template = chat_template_for(tokenizer, finetune.formats)  # the one the adapter's tokenizer then carries
    plan = make_plan(config, model_shape(config, len(tokenizer)), detect_device(device))
    dtype = plan.torch_dtype

    # 3. The data: stage 3's splits, tokenised in each of finetune.formats and cut to max_length
    #    (the held-out loss covers the same formats), which also gives the number of optimizer
    #    steps (checked against the warm-up). A dry run before stage 3 has run plans without them.
    if "paths.dataset_dir" not in not_there:
        splits = load_splits(paths.dataset_dir, CHAT_COLUMNS if "chat" in finetune.formats else ("text",))
        train_rows, validation_rows = splits["train"], None
        if finetune.early_stopping_patience is not None:  # select the epoch on texts carved from train, never on the test split
            train_rows, validation_rows = carve_validation(train_rows, finetune.validation_share, finetune.seed)
            if not len(validation_rows):
                raise StageError(
                    f"finetune.early_stopping_patience: the training split of {paths.dataset_dir} is one duplicate group, "
                    "so no validation split can be carved from it: set finetune.early_stopping_patience=null"
                )
        train = tokenize_split(train_rows, tokenizer, finetune.max_length, finetune.formats)
        test = tokenize_split(splits["test"], tokenizer, finetune.max_length, finetune.formats)
        validation = (
            tokenize_split(validation_rows, tokenizer, finetune.max_length, finetune.formats) if validation_rows is not None else None
        )
        rows = rows_per_epoch(train, finetune.max_length, finetune.packing)
        plan = with_steps(plan, finetune, rows, processes=int(os.environ.get("WORLD_SIZE", "1")))
    problem = warmup_problem(plan, finetune)
    if args.dry_run:
        cli.print_plan(
            config,
            SECTIONS,
            reads={"dataset": paths.dataset_dir, "base model": config.model.base},
            writes={"checkpoints": paths.checkpoints_dir, "adapter": paths.adapter_dir},
        )
        print("# training plan")
        print(describe(plan))
        for warning in plan.warnings:
            print(f"  WARNING: {warning}")
        print(f"  checkpoints: {start.why}")
    if problem:  # after the dry run's plan, which shows the step count the warm-up is measured against
        raise ConfigError(problem)
    if args.dry_run:
        return 0
    log.info("training plan:\n%s", describe(plan))
    for warning in plan.warnings:
        log.warning("%s", warning)
    log.info(
        "train: %d texts -> %d rows, %d tokens (%d long texts split); test: %d texts, %d tokens",
        train.documents,
        train.rows,
        train.tokens,
        train.split_documents,
        test.documents,
        test.tokens,
    )
    if validation is not None:
        log.info(
            "early stopping selects the epoch on a validation split of %d training texts (%d tokens)",
            validation.documents,
            validation.tokens,
        )
    for name, counts in train.by_format.items():
        log.info(
            "  %s: %d examples, %d tokens, %d left out (longer than finetune.max_length)",
            name,
            counts.examples,
            counts.tokens,
            counts.left_out,
        )
    log.info("chat template: %s", chat_template or "none (finetune.formats has no chat)")

    # Heavy imports only once we know we will train (--dry-run stays quick).
    import torch
    from accelerate import PartialState
    from accelerate.utils import gather_object

    from brandtone.finetune import train as train_lib

    # 4. Checkpoints: continue the earlier run, or clear this stage's own files of it and start fresh.
    resume_from = start.resume_from
    training_args = train_lib.training_args(config, plan, dtype, fresh=resume_from is None)  # also sets up the processes
    if training_args.process_index == 0:
        checkpoints.prepare(paths.checkpoints_dir, start, settings)
    PartialState().wait_for_everyone()  # nobody trains while the main process clears old checkpoints
    log.info("checkpoints: %s", start.why)

    # 5. The model: 4-bit base + LoRA, and the trainer.
    try:
        model = train_lib.load_model(config, plan, dtype, tokenizer)
        trainer = train_lib.build_trainer(
            config,
            plan,
            training_args,
            model,
            tokenizer,
            train.dataset,
            test.dataset,
            validation=validation.dataset if validation is not None else None,
        )
        trainable_params, total_params = trainer.model.get_nb_trainable_parameters()
        log.info(
            "parameters: %s trainable of %s (%.2f%%)", f"{trainable_params:,}", f"{total_params:,}", 100 * trainable_params / total_params
        )

        # 6. Train: held-out loss at step 0, then every epoch; checkpoints every save_steps.
        result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
        best_step = train_lib.restore_best_adapter(trainer, paths.checkpoints_dir)
        if best_step is not None:
            log.info("early stopping: keeping the adapter of step %d, the best held-out loss", best_step)
        final_dir = Path(paths.checkpoints_dir) / checkpoints.FINAL
        trainer.save_model(str(final_dir))  # every process takes part (sharded setups gather here)
    except torch.cuda.OutOfMemoryError:
        raise oom_error(config, plan) from None

    # 7. Records: the per-process evidence, the loss before/after, speed and memory.
    processes = gather_object([trainer.process_record()])
    if not trainer.is_world_process_zero():
        return 0
    history = trainer.state.log_history
    losses = loss_summary(history)
    if best_step is not None:
        losses["test_after"] = next(test_loss(e) for e in history if e.get("step") == best_step and test_loss(e) is not None)
    if losses["test_after"] is None or losses["test_before"] is None:
        raise StageError("no held-out loss was measured (training ended before its first epoch): raise finetune.num_train_epochs")
    # held-out evaluations run inside train(): leave their time out of the training speed
    started_step = int(resume_from.name.split("-")[1]) if resume_from else -1
    eval_seconds = sum(e["eval_runtime"] for e in history if "eval_runtime" in e and e["step"] > started_step)
    train_seconds = result.metrics["train_runtime"] - eval_seconds
    real_tokens = sum(p["tokens"] for p in processes)
    log.info(
        "held-out loss %.4f -> %.4f; %d real tokens in %.1f s = %.1f tokens/s",
        losses["test_before"],
        losses["test_after"],
        real_tokens,
        train_seconds,
        real_tokens / train_seconds,
    )

    # 8. Write the adapter folder atomically: weights, tokenizer, resolved config, logs, plot, manifest.
    with atomic.output_dir(paths.adapter_dir, owner="finetune") as out:
        for item in final_dir.iterdir():
            if item.name != "training_args.bin":  # a pickle of the trainer's arguments: config.yaml says it readably
                shutil.copy2(item, out / item.name)
        atomic.write_text(out / "config.yaml", redact(to_yaml(config.model_dump(mode="json"))))
        atomic.write_jsonl(out / checkpoints.LOG_FILE, history)
        plot_loss_curve(history, out / "loss_curve.png", f"{config.brand.name}: fine-tuning {Path(config.model.base).name}")
        manifest.write_manifest(
            out,
            manifest.build_manifest(
                stage="finetune",
                config=config,
                sections=SECTIONS,
                inputs={"dataset": paths.dataset_dir},
                counts={
                    "train_texts": train.documents,
                    "train_rows": train.rows,
                    "train_tokens": train.tokens,
                    "texts_split_at_max_length": train.split_documents,
                    "test_texts": test.documents,
                    "test_tokens": test.tokens,
                    "validation_texts": validation.documents if validation is not None else 0,
                    "by_format": {"train": train.format_counts(), "test": test.format_counts()},
                    "optimizer_steps": trainer.state.global_step,
                    "epochs": round(trainer.state.epoch or 0, 3),
                },
                started_at=started,
                extra={
                    "base_model": {"source": config.model.base, "revision": config.model.revision},
                    "chat_template": chat_template,
                    "parameters": {"trainable": trainable_params, "total": total_params},
                    "loss": losses,
                    "early_stopping_best_step": best_step,
                    "selection": selection_record(finetune, validation, best_step, trainer.state.global_step),
                    "resumed_from": str(resume_from) if resume_from else None,
                    "throughput": {
                        "real_tokens": real_tokens,
                        "train_seconds": round(train_seconds, 2),
                        "evaluation_seconds": round(eval_seconds, 2),
                        "real_tokens_per_second": round(real_tokens / train_seconds, 1),
                        "note": "real = non-padding tokens, all processes; training steps only, this invocation only",
                    },
                    "peak_memory_gib": {
                        "measured": max(p["peak_memory_gib"] for p in processes),
                        "kind": "max GPU memory allocated per process" if device == "cuda" else "peak resident memory of a process",
                        "estimated": plan.peak_estimate_gib,
                    },
                    "plan": plan.as_dict(),
                    "processes": processes,
                },
            ),
        )
        # 9. The adapter's model card, README.md (peft's placeholder card is replaced).
        model_card.write_model_card(out, "adapter", config, Path(paths.adapter_dir), finetune.hub_repo_id if finetune.push_to_hub else None)
    log.info("adapter written to %s", paths.adapter_dir)
    if finetune.push_to_hub:  # 10. Optional: a copy on the Hugging Face Hub (private unless finetune.hub_private is false)
        push_folder(Path(paths.adapter_dir), finetune.hub_repo_id, finetune.hub_private, "finetune.push_to_hub", log)
    return 0


def selection_record(finetune, validation, best_step, last_step) -> dict:
    """How the adapter's step was chosen, for stage 6's report: after the last step, or by early stopping on a
    validation split carved from the training texts (never on the test split stage 6 reports on)."""
    if validation is None:
        return {"method": "none", "kept_step": last_step, "last_step": last_step}
    return {
        "method": "early stopping",
        "patience": finetune.early_stopping_patience,
        "on": "validation",
        "validation_texts": validation.documents,
        "validation_share": finetune.validation_share,
        "kept_step": best_step if best_step is not None else last_step,
        "last_step": last_step,
    }


if __name__ == "__main__":
    cli.run(main)
