"""Nothing the user owns is lost, and every path mistake is one line with exit code 2.

Every paths.* key of every stage is pointed at a file, at a folder of the
user's, at another stage's output and at a path under a file or a missing
folder. Each stage's main() runs in-process through cli.run, as the script
would: the check comes before any work, so no stage does real work here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from brandtone import atomic, cli
from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.models import check_model_source, load_tokenizer, looks_local
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.files_layout import write_manifest
from tests.helpers.paths import REPO
from tests.helpers.scripts import stage_module

# What each stage reads (with the stage that makes it) and writes; 06 reads the adapter when evaluate.tuned_model=adapter
STAGES = {
    "01_scrape.py": ({}, ["files_dir"], []),
    "02_clean.py": ({"files_dir": "scrape"}, ["cleaned_dir"], []),
    "03_build_dataset.py": ({"cleaned_dir": "clean"}, ["dataset_dir"], []),
    "04_finetune.py": ({"dataset_dir": "dataset"}, ["checkpoints_dir", "adapter_dir"], []),
    "05_merge.py": ({"adapter_dir": "finetune", "dataset_dir": "dataset"}, ["merged_dir"], []),
    "06_evaluate.py": ({"dataset_dir": "dataset", "merged_dir": "merge"}, ["eval_dir"], []),
    "06_evaluate.py tuned=adapter": ({"adapter_dir": "finetune"}, [], ["evaluate.tuned_model=adapter"]),
}
UPSTREAM = {"files_dir": "scrape", "cleaned_dir": "clean", "adapter_dir": "finetune", "merged_dir": "merge"}
OWNERS = {**UPSTREAM, "dataset_dir": "dataset", "checkpoints_dir": "finetune", "eval_dir": "evaluate"}
READ_CASES = ("file", "user_folder", "other_stage", "missing")
WRITE_CASES = ("file", "user_folder", "other_stage", "under_a_file")


def _cases():
    for stage, (reads, writes, extra) in STAGES.items():
        for key in reads:
            for case in READ_CASES:
                yield pytest.param(stage, key, "read", case, extra, id=f"{stage}-{key}-read-{case}")
        for key in writes:
            for case in WRITE_CASES:
                yield pytest.param(stage, key, "write", case, extra, id=f"{stage}-{key}-write-{case}")


def run_stage(script: str, argv: list[str], capsys) -> tuple[int, str, str]:
    """main(argv) through cli.run, as `python script` runs it: (exit code, stdout, stderr)."""
    module = stage_module(script)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        cli.run(lambda: module.main(argv))
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_model_dir):
    """Every stage's upstream output (manifests; a real dataset, which 04's dry run tokenises) and a config."""
    work = tmp_path_factory.mktemp("paths")
    write_manifest(work / "files")
    for key, stage in UPSTREAM.items():
        if key != "files_dir":
            (work / key).mkdir()
            (work / key / "manifest.json").write_text(json.dumps({"stage": stage}))
    posts = brand_posts(14, seed=3)
    save_dataset(work / "dataset_dir", posts[2:], posts[:2])
    config = {
        "brand": {"name": "Nukkar Chai Co.", "website": None},
        "paths": {
            "files_dir": str(work / "files"),
            **{key: str(work / key) for key in ("cleaned_dir", "dataset_dir", "checkpoints_dir", "adapter_dir", "merged_dir", "eval_dir")},
        },
        "model": {"base": str(tiny_model_dir)},
        "finetune": {"device": "cpu", "max_length": 256, "tokens_per_batch": 512},  # chat examples fit (~140 tokens)
    }
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    return work


def _point_at(work: Path, key: str, role: str, case: str, right_stage: str) -> Path:
    """Make the wrong thing `key` will point at; returns its path."""
    target = work / "cases" / f"{key}-{role}-{case}"
    target.parent.mkdir(exist_ok=True)
    if case == "file":
        target.write_text("the user's notes")
        return target
    if case in ("user_folder", "other_stage"):
        target.mkdir(exist_ok=True)
        (target / "notes.txt").write_text("the user's notes")
        if case == "other_stage":  # a real output of a stage, just not the right one
            other = "evaluate" if right_stage != "evaluate" else "clean"
            (target / "manifest.json").write_text(json.dumps({"stage": other}))
        return target
    if case == "under_a_file":
        (work / "cases" / "a-file").write_text("the user's notes")
        return work / "cases" / "a-file" / key
    return work / "cases" / "nowhere" / key  # missing


def _snapshot(path: Path) -> dict:
    if path.is_file():
        return {".": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() if p.is_file() else None for p in sorted(path.rglob("*"))} if path.is_dir() else {}


@pytest.mark.parametrize("stage, key, role, case, extra", list(_cases()))
def test_every_path_key_refuses_the_wrong_thing_in_one_line_before_any_work(workspace, capsys, stage, key, role, case, extra):
    script = stage.split()[0]
    target = _point_at(workspace, key, role, case, OWNERS[key])
    before = _snapshot(target)
    code, out, err = run_stage(script, ["--config", str(workspace / "config.yaml"), f"paths.{key}={target}", *extra], capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"config error: paths.{key}") and str(target) in lines[0], err
    assert "Traceback" not in err
    assert _snapshot(target) == before  # the file or folder is exactly as it was
    assert not list(target.parent.glob(".*.old-*")) and not list(target.parent.glob(".*.tmp-*"))


@pytest.mark.parametrize("stage, key", [(stage, key) for stage, (_, writes, _) in STAGES.items() for key in writes])
def test_an_output_under_missing_folders_is_planned_and_nothing_is_created(workspace, capsys, stage, key):
    target = workspace / "cases" / "new" / "deeper" / key
    code, out, err = run_stage(stage, ["--config", str(workspace / "config.yaml"), "--dry-run", f"paths.{key}={target}"], capsys)
    assert code == 0, err
    assert str(target) in out and not (workspace / "cases" / "new").exists()


def test_a_stage_writes_into_an_empty_folder_and_replaces_its_own_output(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with atomic.output_dir(empty, owner="clean") as tmp:
        (tmp / "manifest.json").write_text('{"stage": "clean"}')
    with atomic.output_dir(empty, owner="clean") as tmp:  # its own earlier output: replaced
        (tmp / "manifest.json").write_text('{"stage": "clean", "run": 2}')
    assert json.loads((empty / "manifest.json").read_text())["run"] == 2


@pytest.mark.parametrize("what", ["file", "user_folder", "other_stage"])
def test_atomic_output_dir_never_replaces_what_its_owner_did_not_write(tmp_path, what):
    """The same rule at write time (a folder that appeared after the up-front check, or a caller without one)."""
    target = _point_at(tmp_path, "out", "write", what, "clean")
    before = _snapshot(target)
    with pytest.raises(StageError, match=f"not replacing {target}"):
        with atomic.output_dir(target, owner="clean") as tmp:
            (tmp / "manifest.json").write_text('{"stage": "clean"}')
    assert _snapshot(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary or moved-away copy


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_input_is_one_line(workspace, capsys):
    locked = workspace / "cases" / "locked"
    locked.mkdir(parents=True)
    (locked / "manifest.json").write_text('{"stage": "scrape"}')
    locked.chmod(0)
    try:
        code, _, err = run_stage("02_clean.py", ["--config", str(workspace / "config.yaml"), f"paths.files_dir={locked}"], capsys)
    finally:
        locked.chmod(0o755)
    assert code == 2 and err.strip() == f"config error: paths.files_dir: {locked} is not readable (check its permissions)"


# --------------------------------------------------------------------------- model paths


def test_a_path_like_model_base_is_checked_locally(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    assert looks_local("models/SmolLM2-135M-Instruc")  # first part is an existing folder
    assert looks_local("./m") and looks_local("/opt/m") and looks_local("~/m") and looks_local("a/b/c")
    assert not looks_local("NousResearch/Llama-2-7b-chat-hf") and not looks_local("gpt2")
    with pytest.raises(
        ConfigError,
        match=r"^model.base: models/SmolLM2-135M-Instruc is not a model folder \(it does not exist;"
        r" did you mean models/SmolLM2-135M-Instruct\?\)",
    ):
        check_model_source("models/SmolLM2-135M-Instruc")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match=r"is not a model folder \(it is a file\)"):
        check_model_source(str(tmp_path / "file"))
    with pytest.raises(ConfigError, match=r"is not a model folder \(no config.json in it\)"):
        check_model_source(str(tmp_path))
    check_model_source("NousResearch/Llama-2-7b-chat-hf")  # a Hub id: left to from_pretrained


def test_a_typo_in_the_model_path_stops_the_stage_at_once_with_exit_2(workspace, capsys, tiny_model_dir):
    """Found before any loading, so never sent to the Hub (which costs 53 s of retries when it is)."""
    typo = str(tiny_model_dir)[:-1]
    for script in ("03_build_dataset.py", "04_finetune.py", "05_merge.py", "06_evaluate.py"):
        code, _, err = run_stage(script, ["--config", str(workspace / "config.yaml"), f"model.base={typo}"], capsys)
        assert code == 2, err
        assert err.strip().splitlines() == [
            f"config error: model.base: {typo} is not a model folder (it does not exist; did you mean {tiny_model_dir}?):"
            " fix the path, or use a Hugging Face model id"
        ]


def test_a_local_folder_that_fails_to_load_says_what_is_missing_not_token(tmp_path, tiny_model_dir):
    folder = tmp_path / "no-tokenizer"
    folder.mkdir()
    (folder / "config.json").write_text((tiny_model_dir / "config.json").read_text())
    with pytest.raises(StageError) as error:
        load_tokenizer(str(folder))
    message = str(error.value)
    assert message == (
        f"cannot load the tokenizer from folder {folder}: it has no tokenizer files"
        " (tokenizer.json, or tokenizer.model / vocab.json); copy them in from the model it came from"
    )
    assert "HF_TOKEN" not in message
