"""`--help` on every stage lists every config key it reads, with type, default and the description
from config.yaml's comments (the one place keys are documented)."""

from __future__ import annotations

import sys

import pytest

from brandtone.config_help import default_text, key_comments, trailing_comment, type_text
from brandtone.config_schema import Config
from tests.helpers.scripts import stage_main

SCRIPT_SECTIONS = {
    "01_scrape.py": ("brand", "paths", "scrape"),
    "02_clean.py": ("brand", "paths", "clean"),
    "03_build_dataset.py": ("paths", "clean", "dataset", "model", "finetune"),
    "04_finetune.py": ("paths", "model", "finetune"),
    "05_merge.py": ("paths", "model", "merge", "finetune"),
    "06_evaluate.py": ("brand", "model", "paths", "clean", "evaluate"),
}


def schema_keys(sections=tuple(Config.model_fields)) -> dict[str, object]:
    return {
        f"{section}.{name}": field for section in sections for name, field in Config.model_fields[section].annotation.model_fields.items()
    }


def test_every_schema_key_is_documented_in_config_yaml_and_nothing_else():
    documented = key_comments()
    assert sorted(documented) == sorted(schema_keys())
    assert all(len(text) > 3 for text in documented.values())


def test_comment_parsing_keeps_quoted_hashes_and_continuation_lines(tmp_path):
    assert trailing_comment(' "BrandToneBot/0.1 #1"  # also the robots.txt agent') == "also the robots.txt agent"
    assert trailing_comment(" [latin, arabic]  # tags") == "tags" and trailing_comment(" 'a#b'") == ""
    path = tmp_path / "config.yaml"
    path.write_text(
        "clean:\n"
        '  pii_placeholder: "#"     # replaces removed data;\n'
        '                           # "" deletes it\n'
        "  remove_urls: true\n"
        "  # a comment that belongs to no key\n"
        "dataset:                   # section comment\n"
        "  seed: 42                 # split seed\n"
    )
    assert key_comments(path) == {"clean.pii_placeholder": 'replaces removed data; "" deletes it', "dataset.seed": "split seed"}


def test_types_and_defaults_come_from_the_schema():
    fields = schema_keys()
    assert type_text(fields["finetune.lora_r"]) == "int (>= 1)" and default_text(fields["finetune.lora_r"]) == "16"
    assert type_text(fields["finetune.device"]) == "auto | cuda | cpu"
    assert type_text(fields["evaluate.max_texts"]) == "int | null (>= 1)" and default_text(fields["evaluate.max_texts"]) == "null"
    assert default_text(fields["finetune.report_to"]) == "[tensorboard]"
    assert default_text(fields["brand.name"]) == "(required)"
    assert default_text(fields["paths.adapter_dir"]) == "outputs/adapter"


@pytest.mark.parametrize("script", sorted(SCRIPT_SECTIONS))
def test_help_lists_every_key_of_the_sections_the_script_reads(script, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [script, "--help"])  # in-process: the stages' imports are paid once
    with pytest.raises(SystemExit) as exit:
        stage_main(script)()
    assert exit.value.code == 0
    stdout = capsys.readouterr().out
    documented = key_comments()
    for key, field in schema_keys(SCRIPT_SECTIONS[script]).items():
        assert f"  {key}: {type_text(field)} = {default_text(field)}\n      {documented[key]}\n" in stdout, key
    epilog = stdout.split("config keys (", 1)[1].splitlines()[1:]
    listed = {line.split(":")[0].strip() for line in epilog if line.startswith("  ") and not line.startswith("      ")}
    assert listed == set(schema_keys(SCRIPT_SECTIONS[script]))  # no other section's keys
