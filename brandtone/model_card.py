"""The model card (`README.md`) of the adapter (stage 4) and of the merged model (stage 5).

Written with huggingface_hub's model-card API (ModelCardData for the YAML metadata the Hub reads,
ModelCard.from_template for the text), from what the stages recorded: the base model and its
license, the dataset's manifest (texts per split and source), the adapter's manifest (LoRA
settings, held-out loss), the merged folder's manifest (dtype, parity figures) and, once stage 6
has evaluated this model, its verdict. The base model's license files (LICENSE, USE_POLICY.md, NOTICE), when the
base folder or the local Hub cache has them, are copied beside the card: a fine-tune shared on is
still under the base model's terms.

A card carries an evaluation only from a report that evaluated that very model (the report records the
fingerprint of the model folder it evaluated); otherwise it says "Not evaluated yet". 06_evaluate.py
calls `refresh_evaluation` after writing its report, which rewrites only the evaluation section of the
evaluated model's card.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Optional

from brandtone import atomic
from brandtone.manifest import fingerprint

CARD = "README.md"
LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "USE_POLICY.md", "NOTICE")
EVALUATION_START, EVALUATION_END = "<!-- brandtone:evaluation -->", "<!-- /brandtone:evaluation -->"

TEMPLATE = """---
{{ card_data }}
---

# {{ title }}

{{ summary }}

## Base model and license

{{ license_notice }}

## Data

{{ data }}

## Training

{{ training }}
{% if merge %}
## Merge and export

{{ merge }}
{% endif %}
## How to use

{{ usage }}

{{ evaluation }}
"""


def base_license(base: str, revision: Optional[str] = None) -> tuple[Optional[str], list[Path]]:
    """The base model's license id from its own card, and its license files found without a download."""
    from huggingface_hub import ModelCard, try_to_load_from_cache

    from brandtone.credentials import get_secret

    local = Path(base)
    if local.is_dir():
        files = [local / name for name in LICENSE_FILES if (local / name).is_file()]
        card_path = local / CARD
        license_id = ModelCard.load(card_path).data.license if card_path.is_file() else None
        return license_id, files
    files = []
    for name in LICENSE_FILES:
        cached = try_to_load_from_cache(base, name, revision=revision)
        if isinstance(cached, str):
            files.append(Path(cached))
    try:  # the base was just loaded from the Hub, so its card is a small request away
        license_id = ModelCard.load(base, token=get_secret("HF_TOKEN")).data.license
    except Exception:  # noqa: BLE001 - offline, gated or card-less: the card says the license was not found
        license_id = None
    return license_id, files


def _license_notice(base: str, license_id: Optional[str], copied: list[str]) -> str:
    if license_id:
        text = f"This model is a fine-tune of `{base}` and is subject to the base model's license, `{license_id}`."
    else:
        text = (
            f"The base model `{base}` states no license that brandtone could read: check its terms before sharing or deploying this model."
        )
    if copied:
        text += " The base model's license files are included here: " + ", ".join(f"`{name}`" for name in copied) + "."
    return text


def _data_section(brand: str, dataset: dict, adapter: dict) -> str:
    trained = adapter.get("counts", {})  # what stage 4 actually trained on; the sources from stage 3's manifest
    by_source = dataset.get("counts", {}).get("rows_by_source", {}).get("train", {})
    sources = f" ({', '.join(f'{n} {source}' for source, n in by_source.items())})" if by_source else ""
    return (
        f"{brand}'s own public texts (website pages, Facebook and Instagram posts), collected and cleaned by brandtone's"
        " stages 1-3: boilerplate, personal data (phone numbers, emails, ID numbers) and near-duplicates removed, then"
        f" split by duplicate group so no text is in both splits. {trained.get('train_texts', '?')} training"
        f" texts{sources}, {trained.get('test_texts', '?')} held out for evaluation."
    )


def _training_section(adapter: dict) -> str:
    settings = adapter.get("config", {}).get("finetune", {})
    loss, counts = adapter.get("loss", {}), adapter.get("counts", {})
    targets = settings.get("lora_target_modules")
    lines = [
        (
            f"QLoRA with peft and TRL: the base in 4-bit {settings.get('bnb_4bit_quant_type', 'nf4').upper()}"
            if settings.get("load_in_4bit", True)
            else "LoRA with peft and TRL on the unquantised base"
        )
        + ", LoRA rank"
        f" {settings.get('lora_r')}, alpha {settings.get('lora_alpha')}, dropout {settings.get('lora_dropout')} on"
        f" {targets if isinstance(targets, str) else ', '.join(targets or [])}; learning rate {settings.get('learning_rate')}"
        f" ({settings.get('lr_scheduler_type')}), {counts.get('epochs')} epochs, {counts.get('optimizer_steps')} optimizer"
        f" steps, texts up to {settings.get('max_length')} tokens, packed so that each text attends only to itself."
    ]
    if settings.get("formats"):
        lines.append(f"Training formats: {', '.join(settings['formats'])}.")
    if loss.get("test_before") is not None and loss.get("test_after") is not None:
        lines.append(f"Held-out loss {loss['test_before']:.4f} before training, {loss['test_after']:.4f} after.")
    return " ".join(lines)


def _merge_section(merged: dict, folder: Path) -> str:
    parity = merged.get("parity", {})
    error, kept = parity.get("error") or {}, parity.get("effect_kept")
    text = (
        f"The adapter was merged into an fp32 copy of the base and saved once in {merged.get('dtype')}. Reloaded from"
        f" disk, the saved model was checked against the adapter on {parity.get('texts')} held-out texts: max |logit"
        f" diff| {error.get('max_abs_logit_diff', float('nan')):.3g}, mean KL {error.get('mean_kl', float('nan')):.3g},"
        f" top-1 agreement {error.get('top1_agreement', float('nan')):.4f}"
        + (f", {kept:.1%} of the fine-tuning's effect kept" if kept is not None else "")
        + " (all figures in `manifest.json`)."
    )
    ggufs = sorted(p.name for p in folder.glob("*.gguf"))
    if ggufs:
        text += f" GGUF for llama.cpp and Ollama: {', '.join(f'`{g}`' for g in ggufs)}, with an Ollama `Modelfile`."
    return text


def _usage(kind: str, name: str, base: str, ollama: bool) -> str:
    if kind == "adapter":
        code = f'from peft import AutoPeftModelForCausalLM\nmodel = AutoPeftModelForCausalLM.from_pretrained("{name}")'
    else:
        code = (
            f'from transformers import AutoModelForCausalLM, AutoTokenizer\ntokenizer = AutoTokenizer.from_pretrained("{name}")\n'
            f'model = AutoModelForCausalLM.from_pretrained("{name}")'
        )
    text = f"```python\n{code}\n```"
    if ollama:
        text += "\n\nWith Ollama, from this folder: `ollama create my-brand -f Modelfile`, then `ollama run my-brand`."
    return text


def evaluation_section(report: Optional[dict], eval_dir: Path) -> str:
    if report is None:
        body = "Not evaluated yet: `06_evaluate.py` writes its verdict here once it has evaluated this very model."
    else:
        verdict = report.get("verdict", "no verdict recorded")
        body = f"From `06_evaluate.py` (the full report is `{Path(eval_dir) / 'report.md'}`): {verdict}"
    return f"{EVALUATION_START}\n## Evaluation\n\n{body}\n{EVALUATION_END}"


def evaluated_here(report: Optional[dict], folder: Path) -> bool:
    """Whether `report` evaluated the model in `folder`: the fingerprint it recorded for its tuned model (the model
    folder's manifest, which stages 4 and 5 write once per run) is the folder's. A report of another run, or of a
    model trained since, is not."""
    recorded = (((report or {}).get("models") or {}).get("tuned") or {}).get("fingerprint")
    return recorded is not None and recorded == fingerprint(Path(folder))


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def write_model_card(folder: Path, kind: str, config, final_folder: Path, hub_repo_id: Optional[str]) -> Path:
    """README.md in `folder` (kind "adapter" or "merged"; `final_folder` is where it will live, for the
    usage example when it is not pushed), from the manifests the stages wrote."""
    from huggingface_hub import ModelCard, ModelCardData

    folder, paths, base = Path(folder), config.paths, config.model.base
    adapter = _read_json((folder if kind == "adapter" else Path(paths.adapter_dir)) / "manifest.json")
    merged = _read_json(folder / "manifest.json") if kind == "merged" else {}
    license_id, license_files = base_license(base, config.model.revision)
    report = _read_json(Path(paths.eval_dir) / "report.json") or None
    copied = []
    for source in license_files:
        shutil.copyfile(source, folder / source.name)
        copied.append(source.name)
    ollama = (folder / "Modelfile").is_file()
    data = ModelCardData(
        base_model=None if Path(base).is_dir() else base,  # the Hub takes a repository id here, not a local path
        license=license_id or "other",
        library_name="peft" if kind == "adapter" else "transformers",
        pipeline_tag="text-generation",
        tags=["brandtone", "brand-voice", "lora", "qlora"] + (["gguf"] if ollama else []),
    )
    name = hub_repo_id or str(final_folder)
    card = ModelCard.from_template(
        data,
        template_str=TEMPLATE,
        title=f"{config.brand.name}: brand voice {'LoRA adapter' if kind == 'adapter' else 'model'} ({Path(base).name})",
        summary=(
            f"A {'LoRA adapter for' if kind == 'adapter' else 'fine-tune of'} `{base}` that writes in the tone of"
            f" {config.brand.name}, made with brandtone from the brand's own public texts."
        ),
        license_notice=_license_notice(base, license_id, copied),
        data=_data_section(config.brand.name, _read_json(Path(paths.dataset_dir) / "manifest.json"), adapter),
        training=_training_section(adapter),
        merge=_merge_section(merged, folder) if kind == "merged" else "",
        usage=_usage(kind, name, base, ollama),
        evaluation=evaluation_section(report if evaluated_here(report, folder) else None, paths.eval_dir),
    )
    path = folder / CARD
    atomic.write_text(path, card.content)
    return path


def refresh_evaluation(report: dict, eval_dir: Path) -> list[Path]:
    """Rewrite the evaluation section of the card of the model `report` evaluated (report.json's
    models.tuned.path), when that folder still holds that very model; no other card changes."""
    folder = Path(report["models"]["tuned"]["path"])
    path = folder / CARD
    if not path.is_file() or not evaluated_here(report, folder):
        return []
    text = path.read_text(encoding="utf-8")
    if EVALUATION_START not in text or EVALUATION_END not in text:
        return []  # not a card brandtone wrote
    head, rest = text.split(EVALUATION_START, 1)
    tail = rest.split(EVALUATION_END, 1)[1]
    atomic.write_text(path, head + evaluation_section(report, eval_dir) + tail)
    return [path]
