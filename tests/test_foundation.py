"""Atomic outputs, manifests and the shared text format."""

from __future__ import annotations

import time

import pytest

from brandtone import atomic, manifest
from brandtone.config import load_config
from brandtone.errors import StageError
from brandtone.models import load_tokenizer
from brandtone.textformat import encode_document, end_of_text_id, end_of_turn_id, split_for_continuation
from tests.helpers.paths import REPO


def test_output_dir_replaces_whole_or_not_at_all(tmp_path):
    final = tmp_path / "out"
    with atomic.output_dir(final, owner="clean") as tmp:
        (tmp / "a.txt").write_text("first")
        (tmp / "manifest.json").write_text('{"stage": "clean"}')
    assert (final / "a.txt").read_text() == "first"
    with pytest.raises(RuntimeError):
        with atomic.output_dir(final, owner="clean") as tmp:
            (tmp / "a.txt").write_text("half-written")
            raise RuntimeError("killed mid-stage")
    assert (final / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_write_text_leaves_no_temporary_files(tmp_path):
    atomic.write_json(tmp_path / "x.json", {"a": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_manifest_roundtrip_and_missing_upstream(tmp_path):
    config = load_config(REPO / "config.yaml")
    (tmp_path / "data.txt").write_text("hello")
    built = manifest.build_manifest(
        stage="clean",
        config=config,
        sections=("clean",),
        inputs={"files": tmp_path / "data.txt"},
        counts={"documents": 1},
        started_at=time.time(),
    )
    manifest.write_manifest(tmp_path, built)
    read = manifest.read_manifest(tmp_path, "clean")
    assert read["counts"] == {"documents": 1}
    assert read["inputs"]["files"]["fingerprint"].startswith("sha256:")
    assert "torch" in read["versions"] and read["config"]["clean"]["phone_region"] == "PK"
    with pytest.raises(StageError, match="run 02_clean.py first"):
        manifest.read_manifest(tmp_path / "nowhere", "clean")


def test_pad_token_is_not_end_of_text(demo_model_dir):
    tokenizer = load_tokenizer(str(demo_model_dir))
    assert tokenizer.pad_token_id is not None
    assert tokenizer.pad_token_id not in (tokenizer.eos_token_id, end_of_text_id(tokenizer), end_of_turn_id(tokenizer))


def test_document_ends_with_end_of_text_and_split_is_lossless(demo_model_dir):
    tokenizer = load_tokenizer(str(demo_model_dir))
    text = "Garma garam chai ☕ aur pakoray! Baarish mein Nukkar pe milte hain, yaar. #NukkarChai #ChaiTime"
    ids = encode_document(tokenizer, text)
    end = end_of_text_id(tokenizer)  # SmolLM2-Instruct's <|endoftext|>, not its eos_token <|im_end|>
    assert tokenizer.convert_ids_to_tokens(end) == "<|endoftext|>"
    assert ids[-1] == end and ids.count(end) == 1
    split = split_for_continuation(tokenizer, text, min_tokens=8)
    assert split.prompt_text + split.truth_text == text
    assert split.truth_text.startswith(" ")  # cut at a word boundary
    assert split.prompt_ids + split.truth_ids + [end] == ids
    assert abs(len(split.prompt_ids) - len(split.truth_ids)) <= 4
    assert split_for_continuation(tokenizer, "Chai time!", min_tokens=8) is None
