"""The shared JSON Lines reader: each problem names the file and the line, in one line, and a
stage reading a damaged file stops with that line instead of a traceback."""

from __future__ import annotations

import json

import pytest

from brandtone.errors import StageError
from brandtone.jsonl import BadLine, iter_jsonl, read_jsonl
from brandtone.scrape.social import write_posts_index
from tests.helpers.scripts import run_script


def test_each_bad_line_is_named_and_good_lines_are_kept(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n{"a": oops}\n[1, 2]\n{"a": 4}\n', encoding="utf-8")
    entries = list(iter_jsonl(path))
    assert entries[0] == (1, {"a": 1}) and entries[-1] == (5, {"a": 4})
    assert [str(e) for e in entries if isinstance(e, BadLine)] == [
        f"{path}: line 3 is not valid JSON (Expecting value)",
        f"{path}: line 4 is not a JSON object (list)",
    ]
    with pytest.raises(StageError, match=rf"^{path}: line 3 is not valid JSON \(Expecting value\): fix it$"):
        read_jsonl(path, "fix it")
    (tmp_path / "binary.jsonl").write_bytes(b'{"a": 1}\x00')
    assert str(next(iter_jsonl(tmp_path / "binary.jsonl"))) == f"{tmp_path / 'binary.jsonl'}: binary file (contains NUL bytes)"


def test_a_damaged_saved_posts_file_is_a_stage_error_not_a_traceback(tmp_path):
    (tmp_path / "facebook").mkdir()
    (tmp_path / "facebook" / "run1.jsonl").write_text('{"postId": "1"}\n{"postId": \n', encoding="utf-8")
    with pytest.raises(StageError, match=r"run1.jsonl: line 2 is not valid JSON .*rerun 01_scrape.py"):
        write_posts_index(tmp_path)


def test_stage_3_names_the_file_and_line_of_a_damaged_documents_file(tmp_path):
    cleaned = tmp_path / "cleaned_files"
    cleaned.mkdir()
    (cleaned / "manifest.json").write_text(json.dumps({"stage": "clean"}), encoding="utf-8")
    row = {"id": "web/a", "text": "Chai", "source": "web", "cluster": "web/a"}
    (cleaned / "documents.jsonl").write_text(json.dumps(row) + "\n" + json.dumps(row)[:-5] + "\n", encoding="utf-8")
    result = run_script(
        "03_build_dataset.py", "--config", "configs/demo.yaml", f"paths.cleaned_dir={cleaned}", f"paths.dataset_dir={tmp_path / 'dataset'}"
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "documents.jsonl" in line]
    assert len(errors) == 1 and f"{cleaned / 'documents.jsonl'}: line 2 is not valid JSON" in errors[0], result.stderr
