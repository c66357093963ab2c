"""The schema's own rules, key by key: every float setting must be finite."""

from __future__ import annotations

import pytest


def float_keys() -> list[str]:
    """Every key of the schema that takes a float (Optional ones included)."""
    from typing import get_args

    from brandtone.config_schema import Config

    return [
        f"{section}.{key}"
        for section, field in Config.model_fields.items()
        for key, option in field.annotation.model_fields.items()
        if float in (get_args(option.annotation) or (option.annotation,))
    ]


def test_every_float_setting_must_be_finite_one_line_and_exit_2(tmp_path, capsys):
    """inf and nan, however written, for every float key: exit code 2 and one line naming the key."""
    from tests.helpers.scripts import stage_module

    keys = float_keys()
    assert {
        "finetune.num_train_epochs",
        "finetune.learning_rate",
        "scrape.delay_seconds",
        "scrape.page_timeout_seconds",
        "scrape.max_crawl_delay_seconds",
        "finetune.memory_limit_gib",
    } <= set(keys)
    config = tmp_path / "config.yaml"
    config.write_text("brand: {name: Nukkar Chai Co.}\nmodel: {base: models/SmolLM2-135M-Instruct}\n")
    main = stage_module("02_clean.py").main  # every stage validates the whole config first
    for key in keys:
        for value in ("inf", "-inf", "nan", ".inf", ".nan", "1e999"):  # YAML's spellings and an overflow
            with pytest.raises(SystemExit) as exit_:
                main(["--config", str(config), f"{key}={value}"])
            lines = capsys.readouterr().err.strip().splitlines()
            assert exit_.value.code == 2 and len(lines) == 1, (key, value, lines)
            assert f"{key}: Input should be a finite number" in lines[0], lines[0]
