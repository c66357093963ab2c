"""Stage 5: fold the LoRA adapter into a 16-bit copy of the base model.

Reads    paths.adapter_dir   stage 4's adapter, tokenizer and manifest (which names the base model)
         paths.dataset_dir   held-out texts (test split) for the parity check
         model.base          the base model, reloaded in fp32 for the merge and in merge.dtype for the check
Writes   paths.merged_dir    a standalone model in merge.dtype (auto = bf16, fp16 on GPUs without bf16):
                             sharded safetensors (merge.max_shard_size), config.json, generation_config.json
                             (end-of-text, end-of-turn and pad tokens), tokenizer, manifest.json with every
                             parity figure, README.md (the model card, with the base model's license files);
                             with merge.gguf, model-<f16|q8_0>.gguf and an Ollama Modelfile
Assumes  the adapter was trained on model.base. It is never merged into 4-bit weights: rounding the
         sum back to 4 bits would lose most of what the adapter learned. The merge holds an fp32 copy
         of the base (4 bytes a parameter) on the device, or in RAM when the GPU has no room for it.

The merge is done in fp32 and rounded once to merge.dtype. Before the folder replaces the previous
one it is reloaded from disk and judged on held-out texts (brandtone/merge/parity.py): the fp32
merge must equal the adapter on the fp32 base; the saved copy's next-token distributions must match
that adapter within merge.parity_noise_factor times the saved dtype's own noise (the base in that
dtype vs fp32, same texts) and keep the fine-tuning's effect (merge.parity_effect_tolerance); its
shards must be in merge.dtype. Otherwise the stage fails, says what was compared, and writes nothing.

With merge.gguf the folder also gets one GGUF file (brandtone/merge/gguf.py, Llama architecture only)
and a Modelfile whose TEMPLATE and stops are the trained chat template's (brandtone/merge/ollama.py);
a model or chat template they cannot export is refused before any merging. The model card
(brandtone/model_card.py) is written last; 06_evaluate.py later fills in its evaluation section.

    python 05_merge.py [--config config.yaml] [--dry-run] [section.key=value ...]
"""

from __future__ import annotations

import time
from pathlib import Path

import torch

from brandtone import cli, manifest, ownership
from brandtone.errors import StageError
from brandtone.hub import push_folder
from brandtone.models import check_model_source, resolve_device, resolve_dtype

SECTIONS = ("paths", "model", "merge")


def main(argv=None) -> int:
    config, args, log = cli.start("merge", __doc__, None, argv, sections=(*SECTIONS, "finetune"))  # finetune.device, .max_length
    started = time.time()
    paths, merge = config.paths, config.merge
    ownership.check_paths(
        reads={"paths.adapter_dir": (paths.adapter_dir, "finetune"), "paths.dataset_dir": (paths.dataset_dir, "dataset")},
        writes={"paths.merged_dir": (paths.merged_dir, "merge")},
        dry_run=args.dry_run,
    )
    check_model_source(config.model.base)
    device = resolve_device(config.finetune.device)
    dtype = resolve_dtype(merge.dtype, device, cpu=torch.bfloat16)  # fp32 would double the disk for no gain
    dtype_name = str(dtype).removeprefix("torch.")
    if args.dry_run:
        cli.print_plan(
            config,
            SECTIONS,
            reads={"adapter": paths.adapter_dir, "held-out texts": paths.dataset_dir, "base model": config.model.base},
            writes={
                "merged model": f"{paths.merged_dir} ({dtype_name} on {device}"
                + (f", with model-{merge.gguf}.gguf and a Modelfile)" if merge.gguf else ")")
            },
        )
        return 0

    from peft import PeftModel

    from brandtone import atomic, model_card
    from brandtone.merge.gguf import check_exportable, write_gguf
    from brandtone.merge.ollama import template_pieces, write_modelfile
    from brandtone.merge.parity import Limits, judge, next_token_logits, saved_dtypes
    from brandtone.models import fit_embeddings, load_causal_lm, load_model_config, load_tokenizer, release_memory
    from brandtone.splits import load_splits
    from brandtone.textformat import chunk_document, encode_document, end_ids, end_of_text_id, leading_special_ids

    # 1. The adapter and the base it was trained on.
    adapter_manifest = manifest.read_manifest(paths.adapter_dir, produced_by="finetune")
    trained_on = adapter_manifest["base_model"]["source"]
    if trained_on != config.model.base:
        raise StageError(
            f"{paths.adapter_dir} was trained on {trained_on}, but model.base is {config.model.base}:"
            " set model.base back, or rerun 04_finetune.py"
        )
    tokenizer = load_tokenizer(str(paths.adapter_dir))  # saved by stage 4, pad token included
    if merge.gguf:  # what cannot be exported is refused now, not after the merge
        check_exportable(load_model_config(config.model.base, config.model).to_dict(), config.model.base, paths.adapter_dir)
        template_pieces(tokenizer, paths.adapter_dir, log)

    # 2. Held-out texts for the parity check, in the training format.
    test_texts = [t for t in load_splits(paths.dataset_dir)["test"]["text"] if t.strip()][: merge.parity_texts]
    prefix = leading_special_ids(tokenizer)
    sequences = [
        chunk_document(encode_document(tokenizer, text), prefix, config.finetune.max_length)[0][: merge.parity_max_tokens]
        for text in test_texts
    ]

    # 3. The saved dtype's own rounding noise: the base model in that dtype (none when saving fp32).
    timings = {}
    base_saved, parameters = None, None
    if dtype != torch.float32:
        log.info("loading %s in %s on %s (the saved dtype's own noise)", config.model.base, dtype_name, device)
        base = load_causal_lm(config.model.base, model=config.model, dtype=dtype, device=device)
        fit_embeddings(base, tokenizer)  # same rows as the adapter's (an added pad token)
        parameters = sum(p.numel() for p in base.parameters())
        base_saved = next_token_logits(base, sequences)
        del base
        release_memory()
        timings["inputs_and_noise_s"] = round(time.time() - started, 1)

    # 4. Reference and merge in fp32: the adapter on the fp32 base is the fine-tuned model at full
    #    precision; merging there and rounding once to the saved dtype is the closest that dtype gets.
    reference_device = device if parameters is None else fp32_device(device, parameters)
    log.info("loading %s in fp32 on %s (the reference; the merge)", config.model.base, reference_device)
    base = load_causal_lm(config.model.base, model=config.model, dtype=torch.float32, device=reference_device)
    fit_embeddings(base, tokenizer)  # the adapter then restores the grown rows it was saved with
    base_fp32 = next_token_logits(base, sequences)
    with_adapter = PeftModel.from_pretrained(base, str(paths.adapter_dir))
    adapter_fp32 = next_token_logits(with_adapter, sequences)
    merged = with_adapter.merge_and_unload()
    merged_fp32 = next_token_logits(merged, sequences)
    merged = merged.to(dtype)
    merged.config.eos_token_id = end_of_text_id(tokenizer)
    merged.config.pad_token_id = tokenizer.pad_token_id
    merged.generation_config.eos_token_id = end_ids(tokenizer)  # stops continuations and chat turns alike
    merged.generation_config.pad_token_id = tokenizer.pad_token_id
    timings["reference_and_merge_s"] = round(time.time() - started - sum(timings.values()), 1)

    with atomic.output_dir(paths.merged_dir, owner="merge") as out:
        # 5. Save, free the in-memory copy, reload the folder as any user would, judge it.
        merged.save_pretrained(out, max_shard_size=merge.max_shard_size)
        tokenizer.save_pretrained(out)
        shards = sorted(p.name for p in Path(out).glob("*.safetensors"))
        parameters = sum(p.numel() for p in merged.parameters())
        del merged, with_adapter, base
        release_memory()
        timings["save_s"] = round(time.time() - started - sum(timings.values()), 1)
        reloaded = load_causal_lm(str(out), dtype=dtype, device=device)
        verdict = judge(
            base_fp32,
            base_saved if base_saved is not None else base_fp32,
            adapter_fp32,
            merged_fp32,
            next_token_logits(reloaded, sequences),
            saved_dtypes(out),
            dtype,
            Limits(merge.parity_noise_factor, merge.parity_max_logit_diff, merge.parity_max_mean_kl, merge.parity_effect_tolerance),
        )
        del reloaded
        timings["reload_and_judge_s"] = round(time.time() - started - sum(timings.values()), 1)
        log.info(verdict.summary())
        if not verdict.passed:
            raise StageError(f"merged model does not match the adapter: {'; '.join(verdict.failures)}; nothing was written")

        # 6. Manifest.
        manifest.write_manifest(
            out,
            manifest.build_manifest(
                stage="merge",
                config=config,
                sections=SECTIONS,
                inputs={"adapter": paths.adapter_dir, "dataset": paths.dataset_dir},
                counts={"parameters": parameters, "shards": len(shards), "parity_texts": verdict.texts},
                started_at=started,
                extra={
                    "base_model": {"source": config.model.base, "revision": config.model.revision},
                    "dtype": dtype_name,
                    "device": device,
                    "reference_device": reference_device,
                    "timings": timings,
                    "shards": shards,
                    "parity": {
                        **verdict.as_dict(),
                        "compared": {
                            "merge": "merged model in fp32 (before rounding) vs the adapter on the fp32 base",
                            "error": "merged folder reloaded in the saved dtype vs the adapter on the fp32 base",
                            "noise": "base in the saved dtype vs base in fp32",
                            "effect": "adapter on the fp32 base vs base in fp32",
                        },
                    },
                    "adapter_trained_with": {
                        "test_loss_before": adapter_manifest.get("loss", {}).get("test_before"),
                        "test_loss_after": adapter_manifest.get("loss", {}).get("test_after"),
                        "selection": adapter_manifest.get("selection"),  # how stage 4 chose the step; stage 6's report says it
                    },
                },
            ),
        )

        # 7. Optional: one GGUF file for llama.cpp and Ollama, and a Modelfile with the trained chat template.
        if merge.gguf:
            gguf_file = write_gguf(out, merge.gguf, f"{config.brand.name} ({Path(config.model.base).name})", log)
            write_modelfile(out, gguf_file.name, tokenizer, log)

        # 8. The model card, README.md, from the manifests (stage 6 fills in its evaluation later).
        model_card.write_model_card(out, "merged", config, Path(paths.merged_dir), merge.hub_repo_id if merge.push_to_hub else None)
    log.info("merged model written to %s (%d shard(s))", paths.merged_dir, len(shards))

    # 9. Optional: a copy on the Hugging Face Hub (private unless merge.hub_private is false).
    if merge.push_to_hub:
        push_folder(Path(paths.merged_dir), merge.hub_repo_id, merge.hub_private, "merge.push_to_hub", log)
    return 0


def fp32_device(device: str, parameters: int) -> str:
    """Where the fp32 reference fits: the merge device, else the CPU (slower, same figures)."""
    from brandtone.memory import GIB, memory_budget

    needed = 4 * parameters * 1.1  # weights plus activations of one held-out text
    if device == "cuda" and needed <= memory_budget("cuda"):
        return "cuda"
    if needed <= memory_budget("cpu"):
        return "cpu"
    raise StageError(
        f"the merge needs an fp32 copy of {parameters / 1e9:.1f} B parameters ({needed / GIB:.0f} GiB) and neither"
        f" {'the GPU nor ' if device == 'cuda' else ''}the RAM available ({memory_budget('cpu') / GIB:.0f} GiB) holds it:"
        " run 05_merge.py on a machine with more memory"
    )


if __name__ == "__main__":
    cli.run(main)
