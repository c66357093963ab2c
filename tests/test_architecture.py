"""The rule at the top of brandtone/__init__.py holds, and its checker catches each kind of violation."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.architecture import SCRIPT_STAGES, violations
from tests.helpers.paths import REPO


def test_the_package_follows_its_rule():
    assert violations(REPO) == []


@pytest.fixture
def copy_of_repo(tmp_path):
    shutil.copytree(REPO / "brandtone", tmp_path / "brandtone", ignore=shutil.ignore_patterns("__pycache__"))
    for script in SCRIPT_STAGES:
        shutil.copy(REPO / script, tmp_path / script)
    return tmp_path


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_stage_importing_another_stage_is_caught(copy_of_repo):
    _append(copy_of_repo / "brandtone" / "dataset" / "split.py", "\n\ndef late():\n    from brandtone.clean import rules\n")
    assert violations(copy_of_repo) == ["brandtone.dataset.split (stage dataset) imports brandtone.clean.rules, another stage's module"]


def test_a_script_importing_another_stage_is_caught(copy_of_repo):
    _append(copy_of_repo / "05_merge.py", "\nfrom brandtone.finetune.plan import make_plan\n")
    assert violations(copy_of_repo) == ["05_merge.py (stage merge) imports brandtone.finetune.plan, another stage's module"]


def test_a_cycle_hidden_inside_a_function_is_caught(copy_of_repo):
    _append(copy_of_repo / "brandtone" / "errors.py", "\n\ndef late():\n    from brandtone import jsonl\n")
    assert any(p.startswith("import cycle:") and "brandtone.errors" in p for p in violations(copy_of_repo))


def test_a_top_level_module_of_one_stage_is_caught(copy_of_repo):
    (copy_of_repo / "brandtone" / "only_merge.py").write_text("X = 1\n", encoding="utf-8")
    _append(copy_of_repo / "05_merge.py", "\nfrom brandtone.only_merge import X\n")
    assert violations(copy_of_repo) == [
        "brandtone.only_merge is a top-level module used by 1 stage(s) (merge): move it into that stage's folder"
    ]
