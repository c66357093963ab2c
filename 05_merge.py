"""Stage 5: fold the LoRA adapter into a 16-bit copy of the base model.

Reads    paths.adapter_dir   stage 4's adapter, tokenizer and manifest (which names the base model)
         paths.dataset_dir   held-out texts (test split) for the parity check
         model.base          the base model, reloaded in 16-bit (merge.dtype; fp32 on a CPU)
Writes   paths.merged_dir    a standalone model: sharded safetensors (merge.max_shard_size), config.json,
                             generation_config.json (end-of-text and pad tokens), tokenizer, manifest.json
Assumes  the adapter was trained on model.base. It is never merged into 4-bit weights: rounding the
         sum back to 4 bits would lose most of what the adapter learned.

The merged folder loads with plain `AutoModelForCausalLM.from_pretrained`. Before
it replaces the previous one, the folder is reloaded from disk and its
next-token distributions on held-out texts are compared with the adapter's on
the same 16-bit base; past merge.parity_max_logit_diff or merge.parity_max_mean_kl
the stage fails and writes nothing.

    python 05_merge.py [--config config.yaml] [--dry-run] [section.key=value ...]
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from brandtone import cli, manifest, ownership
from brandtone.errors import StageError
from brandtone.models import check_model_source, resolve_device, resolve_dtype

SECTIONS = ("paths", "model", "merge")


def main(argv=None) -> int:
    config, args, log = cli.start("merge", __doc__, None, argv)
    started = time.time()
    paths, merge = config.paths, config.merge
    ownership.check_paths(
        reads={"paths.adapter_dir": (paths.adapter_dir, "finetune"), "paths.dataset_dir": (paths.dataset_dir, "dataset")},
        writes={"paths.merged_dir": (paths.merged_dir, "merge")}, dry_run=args.dry_run,
    )
    check_model_source(config.model.base)
    device = resolve_device(config.finetune.device)
    dtype = resolve_dtype(merge.dtype, device)
    if args.dry_run:
        cli.print_plan(
            config, SECTIONS,
            reads={"adapter": paths.adapter_dir, "held-out texts": paths.dataset_dir, "base model": config.model.base},
            writes={"merged model": f"{paths.merged_dir} ({str(dtype).removeprefix('torch.')} on {device})"},
        )
        return 0

    from peft import PeftModel

    from brandtone import atomic
    from brandtone.finetune_data import chunk_document, load_splits
    from brandtone.merge_parity import compare, next_token_logits
    from brandtone.models import load_causal_lm, load_tokenizer
    from brandtone.textformat import encode_document, leading_special_ids

    # 1. The adapter and the base it was trained on.
    adapter_manifest = manifest.read_manifest(paths.adapter_dir, produced_by="finetune")
    trained_on = adapter_manifest["base_model"]["source"]
    if trained_on != config.model.base:
        raise StageError(
            f"{paths.adapter_dir} was trained on {trained_on}, but model.base is {config.model.base}:"
            " set model.base back, or rerun 04_finetune.py"
        )
    tokenizer = load_tokenizer(str(paths.adapter_dir))  # saved by stage 4, pad token included

    # 2. Held-out texts for the parity check, in the training format.
    test_texts = [t for t in load_splits(paths.dataset_dir)["test"]["text"] if t.strip()][: merge.parity_texts]
    prefix = leading_special_ids(tokenizer)
    sequences = [
        chunk_document(encode_document(tokenizer, text), prefix, config.finetune.max_length)[0] for text in test_texts
    ]

    # 3. Reference: the adapter on the 16-bit base. Then merge it in, in place.
    log.info("loading %s in %s on %s", config.model.base, str(dtype).removeprefix("torch."), device)
    base = load_causal_lm(config.model.base, model=config.model, dtype=dtype, device=device)
    with_adapter = PeftModel.from_pretrained(base, str(paths.adapter_dir))
    reference = next_token_logits(with_adapter, sequences)
    merged = with_adapter.merge_and_unload()
    merged.config.eos_token_id = tokenizer.eos_token_id
    merged.config.pad_token_id = tokenizer.pad_token_id
    merged.generation_config.eos_token_id = tokenizer.eos_token_id
    merged.generation_config.pad_token_id = tokenizer.pad_token_id

    with atomic.output_dir(paths.merged_dir, owner="merge") as out:
        # 4. Save, free the in-memory copy, reload the folder as any user would, compare.
        merged.save_pretrained(out, max_shard_size=merge.max_shard_size)
        tokenizer.save_pretrained(out)
        shards = sorted(p.name for p in Path(out).glob("*.safetensors"))
        parameters = sum(p.numel() for p in merged.parameters())
        del merged, with_adapter, base
        gc.collect()
        reloaded = load_causal_lm(str(out), dtype=dtype, device=device)
        parity = compare(reference, next_token_logits(reloaded, sequences))
        log.info(
            "parity on %d held-out texts (%d positions): max |logit diff| %.3g (limit %g), mean KL %.3g (limit %g),"
            " top-1 agreement %.4f",
            parity.texts, parity.positions, parity.max_abs_logit_diff, merge.parity_max_logit_diff,
            parity.mean_kl, merge.parity_max_mean_kl, parity.top1_agreement,
        )
        if parity.max_abs_logit_diff > merge.parity_max_logit_diff or parity.mean_kl > merge.parity_max_mean_kl:
            raise StageError(
                f"merged model does not match the adapter: max |logit diff| {parity.max_abs_logit_diff:.3g}"
                f" (merge.parity_max_logit_diff={merge.parity_max_logit_diff}), mean KL {parity.mean_kl:.3g}"
                f" (merge.parity_max_mean_kl={merge.parity_max_mean_kl}); nothing was written."
                " Try merge.dtype=fp32 (or bf16 instead of fp16), or check the adapter"
            )

        # 5. Manifest.
        manifest.write_manifest(out, manifest.build_manifest(
            stage="merge", config=config, sections=SECTIONS,
            inputs={"adapter": paths.adapter_dir, "dataset": paths.dataset_dir},
            counts={"parameters": parameters, "shards": len(shards), "parity_texts": parity.texts},
            started_at=started,
            extra={
                "base_model": {"source": config.model.base, "revision": config.model.revision},
                "dtype": str(dtype).removeprefix("torch."),
                "device": device,
                "shards": shards,
                "parity": {
                    **parity.as_dict(),
                    "reference": "adapter on the same 16-bit base",
                    "limits": {"max_abs_logit_diff": merge.parity_max_logit_diff, "mean_kl": merge.parity_max_mean_kl},
                },
                "adapter_trained_with": {
                    "test_loss_before": adapter_manifest.get("loss", {}).get("test_before"),
                    "test_loss_after": adapter_manifest.get("loss", {}).get("test_after"),
                },
            },
        ))
    log.info("merged model written to %s (%d shard(s))", paths.merged_dir, len(shards))

    # 6. Optional: a private copy on the Hugging Face Hub.
    if merge.push_to_hub:
        push_to_hub(Path(paths.merged_dir), merge.hub_repo_id, merge.hub_private, log)
    return 0


def push_to_hub(folder: Path, repo_id: str, private: bool, log) -> None:
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    from brandtone.secrets import get_secret

    token = get_secret("HF_TOKEN")
    if not token:
        raise StageError(
            f"merge.push_to_hub is true but HF_TOKEN is not set: export HF_TOKEN=... (a write token),"
            f" or set merge.push_to_hub=false; the merged model is in {folder}"
        )
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="model", commit_message="brandtone merged model")
    except (HfHubHTTPError, OSError) as exc:
        raise StageError(f"push to {repo_id} failed ({str(exc).splitlines()[0]}); the merged model is kept in {folder}") from None
    log.info("pushed %s to https://huggingface.co/%s (%s)", folder, repo_id, "private" if private else "public")


if __name__ == "__main__":
    cli.run(main)
