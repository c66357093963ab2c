"""06_evaluate.py end to end on the tiny Llama: a merged and an adapter "tuned"
model (briefly trained here), the report files and plots, the writing test, --prompt and --write modes,
--score-ratings, and the one-line errors for bad input."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.evaluate.ratings import KEY_COLUMNS, KEY_NAME, SHEET_COLUMNS, SHEET_NAME, read_csv, write_csv
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.scripts import run_script, stage_module
from tests.helpers.tuned_models import make_adapter, make_merged, stage_manifest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def stage():
    return stage_module("06_evaluate.py")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_model_dir):
    work = tmp_path_factory.mktemp("evaluate")
    texts = brand_posts(58, seed=1)
    train, test = texts[:48], texts[48:]
    save_dataset(work / "dataset", train, test)
    make_adapter(work / "adapter", tiny_model_dir, train)
    make_merged(work / "merged", tiny_model_dir, work / "adapter")
    return work, write_config(work, tiny_model_dir)


def run(stage, config: Path, *args: str) -> str:
    """main() in-process; returns what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert stage.main(["--config", str(config), *args]) == 0
    return printed.getvalue()


@pytest.fixture(scope="module")
def evaluated(stage, workspace):
    work, config = workspace
    return work / "eval", run(stage, config)


def test_full_evaluation_writes_report_plots_generations_and_sheet(evaluated):
    import matplotlib.image
    from PIL import Image

    folder, printed = evaluated
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["texts"]["evaluated"] == 10 and report["texts"]["test"] == 10
    assert report["leakage"]["leaked"] == 0
    metrics = report["metrics"]
    assert set(metrics["perplexity"]["systems"]) == {"base", "tuned"}
    assert set(metrics["bleu"]["systems"]) == {"base", "tuned", "echo", "random", "retrieval"}
    assert set(metrics["distinct_2"]["systems"]) == {"base", "tuned", "echo", "random", "retrieval", "truth"}
    for result in metrics.values():
        for value in result["systems"].values():
            assert value["ci"][0] <= value["value"] <= value["ci"][1] or result["better"] == "truth"
    # the trained model predicts the held-out brand text far better than the random one, and the verdict says so
    base, tuned = metrics["perplexity"]["systems"]["base"], metrics["perplexity"]["systems"]["tuned"]
    assert tuned["ci"][1] < base["ci"][0]
    assert report["verdict"].startswith("Tuned model's conditional perplexity") and "lower, CIs do not overlap" in report["verdict"]
    assert report["signatures"]["bleu"].startswith("nrefs:1|case:mixed")
    assert len(report["samples"]) == 3

    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert markdown.index("**Leakage check.** 0 of 10 test texts") < markdown.index("## Metrics")
    assert report["verdict"] in markdown and "| conditional perplexity | lower |" in markdown and "## Samples" in markdown
    assert "conditional perplexity" in printed and report["verdict"] in printed

    for name in ("metrics.png", "perplexity_per_text.png"):
        data = (folder / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        with Image.open(folder / name) as image:
            image.verify()
        assert matplotlib.image.imread(folder / name).shape[2] in (3, 4)

    rows = [json.loads(line) for line in (folder / "generations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10
    assert all(row["tuned_tokens"] <= row["truth_tokens"] <= 16 for row in rows)  # evaluate.max_new_tokens_cap
    assert all(row["perplexity"]["tuned"] > 0 and row["echo"] for row in rows)

    sheet, key = read_csv(folder / SHEET_NAME, SHEET_COLUMNS), read_csv(folder / KEY_NAME, KEY_COLUMNS)
    assert len(sheet) == len(key) == 20 and [row["task"] for row in sheet] == ["continue"] * 10 + ["write"] * 10
    assert all(row["brand_voice_winner"] == "" for row in sheet)
    # each continuation row holds that text's two continuations, in the order its key says
    by_index = {row["test_index"]: row for row in rows}
    for row, unblinded in zip(sheet[:10], key[:10]):
        generated = by_index[int(unblinded["text_index"])]
        assert (row["continuation_a"], row["continuation_b"]) == (generated[unblinded["a"]], generated[unblinded["b"]])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stage"] == "evaluate" and manifest["counts"]["evaluated"] == 10
    assert manifest["counts"]["writing_requests"] == 10 and manifest["counts"]["classifier_requests"] == 12


def test_the_writing_test_reports_each_request_with_its_verdict(evaluated):
    folder, printed = evaluated
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    writing = report["writing"]
    assert writing["requests"] == 10 and writing["classifier_requests"] == 12
    assert writing["decoding"]["mode"] == "sampling" and writing["decoding"]["repetition_penalty"] == 1.1
    assert set(writing["metrics"]["bleu"]["systems"]) == {"base", "tuned", "random", "retrieval"}
    perplexity = writing["metrics"]["perplexity"]["systems"]
    assert perplexity["tuned"]["ci"][1] < perplexity["base"]["ci"][0]  # the trained model predicts the brand's documents better
    assert set(writing["style"]["hashtags"]["systems"]) == {"base", "tuned", "truth"}
    assert writing["style"]["hashtags"]["systems"]["truth"]["value"] >= 1  # every fixture text ends with a hashtag
    assert writing["classifier"]["trained_on"] == {"brand": 12, "base": 12}
    # one sentence each: perplexity given the request, the classifier, the floors; all in the verdict, report.md and the output
    sentences = writing["verdict"]
    assert len(sentences) == 3 and sentences[0].startswith("Writing test: the tuned model's perplexity of the true documents")
    assert sentences[1].startswith("The brand-voice classifier") and sentences[2].startswith("Writing test: ")
    assert report["verdicts"]["half_split"][1].startswith("Half-split test: ")
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "## Writing test" in markdown and "### Brand-voice classifier" in markdown and "### Style against the true texts" in markdown
    assert all(s in report["verdict"] and s in markdown and s in printed for s in sentences)
    rows = [json.loads(line) for line in (folder / "writing.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10 and all(row["request"] and row["truth"] and "base" in row and "tuned" in row for row in rows)
    assert all(set(row["classifier_says_brand"]) == {"base", "tuned", "truth"} for row in rows)


def test_write_mode_prints_both_answers_and_writes_nothing(stage, workspace, tmp_path):
    work, config = workspace
    printed = run(stage, config, "--write", "an Instagram caption for our monsoon pakora offer", "--write", "A Facebook post about Gulberg",
                  "evaluate.write_max_new_tokens=6", f"paths.eval_dir={tmp_path / 'unused'}")
    assert "=== request 1: an Instagram caption for our monsoon pakora offer" in printed and "=== request 2: A Facebook post" in printed
    assert printed.count("--- base (seed 0)") == 2 and printed.count("--- tuned (seed 0)") == 2
    assert not (tmp_path / "unused").exists()
    with pytest.raises(ConfigError, match=r"^--write: the request is empty") as caught:
        stage.main(["--config", str(config), "--write", "  "])
    assert "\n" not in str(caught.value)


def test_adapter_evaluation_uses_the_base_weights_for_the_base_model(stage, workspace, evaluated):
    work, config = workspace
    folder = work / "eval-adapter"
    run(stage, config, "evaluate.tuned_model=adapter", f"paths.eval_dir={folder}", "evaluate.max_texts=4")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["models"]["tuned"]["kind"] == "adapter" and report["texts"]["evaluated"] == 4
    adapter_rows = [json.loads(line) for line in (folder / "generations.jsonl").read_text().splitlines()]
    merged_rows = [json.loads(line) for line in (evaluated[0] / "generations.jsonl").read_text().splitlines()][:4]
    # the adapter switched off is exactly the base model, and the adapter on is the merged model
    for a, m in zip(adapter_rows, merged_rows):
        assert a["perplexity"]["base"] == pytest.approx(m["perplexity"]["base"], rel=1e-5)
        assert a["perplexity"]["tuned"] == pytest.approx(m["perplexity"]["tuned"], rel=1e-4)
        assert a["base"] == m["base"]


def test_prompt_mode_prints_both_continuations_and_writes_nothing(stage, workspace, tmp_path):
    work, config = workspace
    prompts_file = tmp_path / "prompts.txt"
    prompts_file.write_text("Baarish ka mausam hai\n\n", encoding="utf-8")
    printed = run(stage, config, "--prompt", "Garma garam chai", "--prompts", str(prompts_file),
                  "evaluate.max_new_tokens_cap=6", f"paths.eval_dir={tmp_path / 'unused'}")
    assert "=== prompt 1: Garma garam chai" in printed and "=== prompt 2: Baarish ka mausam hai" in printed
    assert printed.count("--- base") == 2 and printed.count("--- tuned") == 2
    assert not (tmp_path / "unused").exists()


def test_score_ratings_adds_win_rates_to_the_report(stage, workspace, evaluated, tmp_path):
    _, config = workspace
    folder = evaluated[0]
    sheet_path = tmp_path / SHEET_NAME
    sheet, key = read_csv(folder / SHEET_NAME, SHEET_COLUMNS), read_csv(folder / KEY_NAME, KEY_COLUMNS)
    for row, answer in zip(sheet, key):  # the tuned model wins brand voice on 8 of 10 continuations, fluency is a tie
        tuned_letter = "A" if answer["a"] == "tuned" else "B"
        base_letter = "B" if tuned_letter == "A" else "A"
        row["brand_voice_winner"] = tuned_letter if int(row["item"]) <= 8 else base_letter
        row["fluency_winner"] = "tie"
    write_csv(sheet_path, SHEET_COLUMNS, sheet)

    with pytest.raises(ConfigError, match="unblinding key .* not found: pass --key FILE"):
        stage.main(["--config", str(config), "--score-ratings", str(sheet_path)])
    printed = run(stage, config, "--score-ratings", str(sheet_path), "--key", str(folder / KEY_NAME))
    assert "| continuation | reads more like the brand | tuned vs base | 8 | 2 | 0 | 0 | 80% [" in printed
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    rows = {(r["task"], r["criterion"]): r for r in report["human_ratings"]["win_rates"] if r["rater"] is None}
    voice = rows["continue", "brand_voice_winner"]
    assert voice["counts"] == {"tuned": 8, "base": 2, "tie": 0, "both_bad": 0} and voice["ci"][0] < 0.8 < voice["ci"][1]
    assert "| tuned vs base | 8 | 2 |" in (folder / "report.md").read_text(encoding="utf-8")
    assert rows["write", "brand_voice_winner"]["counts"]["base"] == 10  # the request pairs, items 11-20

    other_key = tmp_path / "other_key.csv"
    write_csv(other_key, KEY_COLUMNS, [{**row, "a": row["b"], "b": row["a"]} for row in key])
    with pytest.raises(StageError, match="is not the key of the report"):
        stage.main(["--config", str(config), "--score-ratings", str(sheet_path), "--key", str(other_key)])


def _empty_test_split(work: Path, config: Path) -> list[str]:
    save_dataset(work / "dataset-empty", brand_posts(5, seed=2), [])
    return [f"paths.dataset_dir={work / 'dataset-empty'}"]


def _no_requests(work: Path, config: Path) -> list[str]:
    save_dataset(work / "dataset-old", brand_posts(12, seed=3)[:10], brand_posts(12, seed=3)[10:], messages=False)
    return [f"paths.dataset_dir={work / 'dataset-old'}"]


def _adapter_on_another_base(work: Path, config: Path) -> list[str]:
    shutil.copytree(work / "adapter", work / "adapter-other", dirs_exist_ok=True)
    stage_manifest(work / "adapter-other", "finetune", "NousResearch/Llama-2-7b-chat-hf")
    return ["evaluate.tuned_model=adapter", f"paths.adapter_dir={work / 'adapter-other'}"]


@pytest.mark.parametrize("setup, kind, message", [
    (lambda work, config: [f"paths.merged_dir={work / 'nowhere'}"], ConfigError,
     r"paths.merged_dir \(evaluate.tuned_model=merged\): .*nowhere/manifest.json not found: run 05_merge.py first"),
    (lambda work, config: ["model.base=/no/such/model"], ConfigError, r"model.base: /no/such/model is not a model folder"),
    (_adapter_on_another_base, StageError, r"was trained on NousResearch/Llama-2-7b-chat-hf \(its manifest.json\) but model.base is"),
    (_empty_test_split, StageError, r"dataset-empty split 'test' is empty"),
    (lambda work, config: ["evaluate.min_tokens=500"], StageError, r"all 10 test texts .* are shorter than evaluate.min_tokens=500"),
    (lambda work, config: [f"paths.dataset_dir={work / 'no-dataset'}"], ConfigError, r"no-dataset/manifest.json not found: run 03_build_dataset.py first"),
    (_no_requests, StageError, r"dataset-old/train has no 'messages' column \(an older stage 3 made it\): rerun 03_build_dataset.py"),
], ids=["missing-merged", "missing-base", "adapter-base-mismatch", "empty-test", "all-too-short", "missing-dataset", "no-requests"])
def test_bad_input_is_a_one_line_error_naming_the_fix(stage, workspace, setup, kind, message):
    work, config = workspace
    with pytest.raises(kind, match=message) as caught:
        stage.main(["--config", str(config), *setup(work, config)])
    assert "\n" not in str(caught.value)


def test_the_command_line_reports_bad_input_in_one_line(workspace):
    work, config = workspace
    result = run_script("06_evaluate.py", "--config", str(config), f"paths.dataset_dir={work / 'no-dataset'}")
    assert result.returncode == 2  # found before any work: a path error
    assert result.stderr.count("\n") == 1 and "paths.dataset_dir" in result.stderr and "run 03_build_dataset.py first" in result.stderr
