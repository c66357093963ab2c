"""Config validation: bad keys, bad types, overrides, missing folders, and --dry-run."""

from __future__ import annotations

import pytest
import yaml

from brandtone.config import ConfigError, load_config, parse_override
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script

CONFIGS = [REPO / "config.yaml", *sorted((REPO / "configs").glob("*.yaml"))]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_shipped_configs_validate(path, monkeypatch):
    monkeypatch.chdir(REPO)
    config = load_config(path)
    assert config.brand.name


def test_llama3_config_is_documented_and_targets_a_llama3_instruct_model(monkeypatch):
    from brandtone.config_help import key_comments

    monkeypatch.chdir(REPO)
    path = REPO / "configs" / "llama3-8b-instruct.yaml"
    config = load_config(path)
    assert config.model.base.startswith("meta-llama/Llama-3") and config.model.base.endswith("-Instruct")
    written = {f"{section}.{key}" for section, keys in yaml.safe_load(path.read_text()).items() for key in keys}
    assert written and written <= set(key_comments(path))  # every key it sets says why


def test_override_types_are_parsed():
    assert parse_override("finetune.num_train_epochs=3") == (["finetune", "num_train_epochs"], 3)
    assert parse_override("finetune.learning_rate=2e-4") == (["finetune", "learning_rate"], 2e-4)
    assert parse_override("scrape.respect_robots=false") == (["scrape", "respect_robots"], False)
    assert parse_override("finetune.lora_target_modules=[q_proj, v_proj]")[1] == ["q_proj", "v_proj"]
    assert parse_override("brand.name=Nukkar Chai") == (["brand", "name"], "Nukkar Chai")
    assert parse_override("dataset.hub_repo_id=null") == (["dataset", "hub_repo_id"], None)


def test_yaml_1_1_booleans_and_digits_stay_text_where_the_schema_says_text(tmp_path):
    text = (REPO / "config.yaml").read_text()
    assert 'phone_region: "PK"' in text and "revision: null" in text
    path = tmp_path / "config.yaml"
    path.write_text(
        text.replace('phone_region: "PK"', "phone_region: NO")
        .replace("revision: null", "revision: 0123456")
        .replace("respect_robots: true", "respect_robots: yes")
    )
    config = load_config(path)
    assert config.clean.phone_region == "NO"  # Norway, not false
    assert config.model.revision == "0123456"  # as written: not the octal 42798, not an integer
    assert config.scrape.respect_robots is True  # a bool field still takes yes/no
    overridden = load_config(
        REPO / "config.yaml",
        [
            "clean.phone_region=NO",
            "model.revision=1234567",
            "model.base=1e5",
            "finetune.lora_r=8",
            "finetune.learning_rate=2e-4",
            "scrape.respect_robots=off",
        ],
    )
    assert (overridden.clean.phone_region, overridden.model.revision, overridden.model.base) == ("NO", "1234567", "1e5")
    assert (overridden.finetune.lora_r, overridden.finetune.learning_rate, overridden.scrape.respect_robots) == (8, 2e-4, False)
    assert parse_override("brand.name=yes") == (["brand", "name"], "yes")
    with pytest.raises(ConfigError, match="clean.phone_region: not a region phonenumbers knows"):
        load_config(REPO / "config.yaml", ["clean.phone_region=ON"])


def test_overrides_apply_on_top_of_file():
    config = load_config(REPO / "config.yaml", ["finetune.num_train_epochs=1", "finetune.learning_rate=1e-5"])
    assert config.finetune.num_train_epochs == 1
    assert config.finetune.learning_rate == pytest.approx(1e-5)
    assert config.finetune.formats == ["continuation", "chat"]  # both by default; either alone allowed
    assert load_config(REPO / "config.yaml", ["finetune.formats=chat"]).finetune.formats == ["chat"]


@pytest.mark.parametrize(
    "override, message",
    [
        ("finetune.num_train_epoch=3", "finetune.num_train_epoch: unknown key (did you mean num_train_epochs?)"),
        ("finetune.lora_r=many", "finetune.lora_r: Input should be a valid integer"),
        ("dataset.test_size=1.5", "dataset.test_size: Input should be less than 1"),
        ("scrape.import_dir=/no/such/folder", "scrape.import_dir: path does not exist: /no/such/folder"),
        ("nonsense.key=1", "nonsense: unknown key"),
        ("finetune=3", "finetune: Input should be a valid dictionary"),
        ("=3", "expected section.key=value"),
        ("dataset.push_to_hub=true", "dataset.hub_repo_id: required when dataset.push_to_hub is true"),
        ("finetune.formats=[]", "finetune.formats: train at least one format: [continuation], [chat] or [continuation, chat]"),
        ("finetune.formats=[chat, chat]", "finetune.formats: a format is listed twice: list each once"),
        ("finetune.formats=[poem]", "finetune.formats.0: Input should be 'continuation' or 'chat'"),
    ],
)
def test_bad_config_names_the_key(override, message):
    with pytest.raises(ConfigError) as error:
        load_config(REPO / "config.yaml", [override])
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_unreadable_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("brand: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad.yaml line \d+: not valid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.yaml")


def test_a_config_extends_another_and_lays_its_keys_over_it(tmp_path):
    (tmp_path / "base.yaml").write_text(
        'brand: {name: Base, website: "https://base.example/"}\nmodel: {base: some/model}\n'
        "finetune: {lora_r: 8, lora_alpha: 64, learning_rate: 1.0e-3}\n"
    )
    child = tmp_path / "configs" / "child.yaml"
    child.parent.mkdir()
    child.write_text("extends: ../base.yaml\nbrand: {name: Child, website: null}\nfinetune: {lora_r: 4}\n")
    config = load_config(child, ["finetune.learning_rate=2e-4"])
    assert (config.brand.name, config.brand.website, config.model.base) == ("Child", None, "some/model")
    assert (config.finetune.lora_r, config.finetune.lora_alpha, config.finetune.learning_rate) == (4, 64, 2e-4)

    (tmp_path / "base.yaml").write_text("extends: configs/child.yaml\n")
    with pytest.raises(ConfigError, match=r"base.yaml: extends: configs/child.yaml makes a loop of extends"):
        load_config(child)
    child.write_text("extends: nowhere.yaml\n")
    with pytest.raises(
        ConfigError, match=r"child.yaml: extends: 'nowhere.yaml' is not a config file \(give its path relative to child.yaml\)"
    ):
        load_config(child)


def _stage_scripts() -> list[str]:
    return sorted(p.name for p in REPO.glob("0[1-6]_*.py"))


@pytest.mark.parametrize("script", _stage_scripts())
def test_bad_key_exits_2_and_writes_nothing(script, tmp_path):
    before = sorted(tmp_path.iterdir())
    result = run_script(script, "--config", str(REPO / "config.yaml"), "finetune.lora_rank=8", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"config error: {REPO / 'config.yaml'}: finetune.lora_rank: unknown key (did you mean lora_r?)"
    ]
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("script", _stage_scripts())
def test_dry_run_prints_plan_and_writes_nothing(script, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        (REPO / "configs" / "demo.yaml")
        .read_text()
        .replace("demo/exports", str(REPO / "demo/exports"))
        .replace("models/SmolLM2", str(REPO / "models/SmolLM2"))
    )
    result = run_script(script, "--config", str(config), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "# resolved config" in result.stdout and "# would write" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml"]
