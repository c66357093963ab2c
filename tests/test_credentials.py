"""Secrets come from the environment and never reach logs, manifests or config output."""

from __future__ import annotations

import json
import logging
import time

from brandtone import manifest
from brandtone.config import load_config
from brandtone.credentials import get_secret, redact
from brandtone.log import setup_logging
from tests.helpers.paths import REPO

TOKEN = "apify_api_S3cr3tT0kenValue1234"


def test_get_secret_reads_environment(monkeypatch):
    monkeypatch.setenv("APIFY_TOKEN", TOKEN)
    assert get_secret("APIFY_TOKEN") == TOKEN
    monkeypatch.setenv("HF_TOKEN", "  ")
    assert get_secret("HF_TOKEN") is None


def test_redact_replaces_every_occurrence(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnop")
    text = f"GET /v2/acts?token={TOKEN} auth hf_abcdefghijklmnop"
    get_secret("APIFY_TOKEN")  # unset here: nothing remembered
    monkeypatch.setenv("APIFY_TOKEN", TOKEN)
    assert redact(text) == "GET /v2/acts?token=*** auth ***"


def test_log_lines_are_redacted(monkeypatch, capsys):
    monkeypatch.setenv("APIFY_TOKEN", TOKEN)
    log = setup_logging("test")
    log.info("calling https://api.apify.com/v2/acts?token=%s", TOKEN)
    try:
        raise RuntimeError(f"401 for token {TOKEN}")
    except RuntimeError:
        log.exception("actor failed")
    err = capsys.readouterr().err
    assert TOKEN not in err
    assert "token=***" in err and "401 for token ***" in err
    logging.getLogger().handlers.clear()


def test_manifest_never_contains_a_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_TOKEN", "hf_SecretValueInManifest")
    config = load_config(REPO / "config.yaml", ["brand.name=hf_SecretValueInManifest"])
    data = manifest.build_manifest(stage="dataset", config=config, sections=("brand",), inputs={}, counts={}, started_at=time.time())
    manifest.write_manifest(tmp_path, data)
    written = (tmp_path / "manifest.json").read_text()
    assert "hf_SecretValueInManifest" not in written
    assert json.loads(written)["config"]["brand"]["name"] == "***"
