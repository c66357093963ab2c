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
from brandtone.manifest import fingerprint
from tests.helpers.configs import write_config
from tests.helpers.corpus import brand_posts, formal_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script, stage_module
from tests.helpers.tuned_models import make_adapter, make_merged, stage_manifest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
N_TRAIN, N_TEST = 48, 12  # 12 held-out requests: above the tests' evaluate.two_sample_min_requests (10)
CONTROL = "Brisdale Mutual Bank"


@pytest.fixture(scope="module")
def stage():
    return stage_module("06_evaluate.py")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, tiny_model_dir):
    """The brand's dataset, a briefly trained adapter and its merged model (each with its model card), and a control
    brand's dataset; the config evaluates the merged model with the control."""
    from brandtone.config import load_config
    from brandtone.model_card import write_model_card

    work = tmp_path_factory.mktemp("evaluate")
    texts = brand_posts(N_TRAIN + N_TEST, seed=1)
    train, test = texts[:N_TRAIN], texts[N_TRAIN:]
    save_dataset(work / "dataset", train, test)
    save_dataset(
        work / "control",
        formal_posts(30, seed=2),
        formal_posts(36, seed=2)[30:],
        config=load_config(REPO / "config.yaml", [f"brand.name={CONTROL}"]),
    )
    make_adapter(work / "adapter", tiny_model_dir, train)
    make_merged(work / "merged", tiny_model_dir, work / "adapter")
    config = write_config(work, tiny_model_dir, evaluate={"control_dataset": str(work / "control")})
    for kind in ("adapter", "merged"):
        write_model_card(work / kind, kind, load_config(config), work / kind, None)
    return work, config


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


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_full_evaluation_writes_report_plots_generations_and_sheet(evaluated):
    import matplotlib.image
    from PIL import Image

    folder, printed = evaluated
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["texts"]["evaluated"] == N_TEST and report["texts"]["test"] == N_TEST
    assert report["leakage"]["leaked"] == 0
    assert report["systems"] == {"half_split": ["base", "tuned"], "writing": ["base", "prompted", "tuned"]}
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
    assert report["models"]["tuned"]["fingerprint"] == fingerprint(folder.parent / "merged")
    assert report["models"]["selection"] is None  # the test helpers' models record no selection

    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert markdown.index(f"**Leakage check.** 0 of {N_TEST} test texts") < markdown.index("## Metrics")
    assert "**Model selection.** Not recorded" in markdown
    assert report["verdict"] in markdown and "| conditional perplexity | lower |" in markdown and "## Samples" in markdown
    assert "conditional perplexity" in printed and report["verdict"] in printed

    for name in ("metrics.png", "perplexity_per_text.png"):
        data = (folder / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        with Image.open(folder / name) as image:
            image.verify()
        assert matplotlib.image.imread(folder / name).shape[2] in (3, 4)

    rows = read_jsonl(folder / "generations.jsonl")
    assert len(rows) == N_TEST
    assert all(row["tuned_tokens"] <= row["truth_tokens"] <= 16 for row in rows)  # evaluate.max_new_tokens_cap
    assert all(row["perplexity"]["tuned"] > 0 and row["echo"] for row in rows)

    # continuation pairs (base, tuned), then per request every pair of base, prompted and tuned
    sheet, key = read_csv(folder / SHEET_NAME, SHEET_COLUMNS), read_csv(folder / KEY_NAME, KEY_COLUMNS)
    assert len(sheet) == len(key) == 4 * N_TEST and [row["task"] for row in sheet] == ["continue"] * N_TEST + ["write"] * 3 * N_TEST
    assert {frozenset((k["a"], k["b"])) for k in key if k["task"] == "write"} == {
        frozenset(("base", "tuned")),
        frozenset(("prompted", "tuned")),
        frozenset(("base", "prompted")),
    }
    writing_rows = read_jsonl(folder / "writing.jsonl")
    for row, k in zip(sheet, key):  # A and B are the texts of the systems the key names
        source = rows[int(k["text_index"])] if k["task"] == "continue" else writing_rows[int(k["text_index"])]["answers"]
        assert (row["continuation_a"], row["continuation_b"], row["brand_voice_winner"]) == (source[k["a"]], source[k["b"]], "")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stage"] == "evaluate" and manifest["counts"]["evaluated"] == N_TEST
    assert manifest["counts"]["writing_requests"] == N_TEST and manifest["counts"]["control_texts"] == N_TEST


def test_the_writing_test_compares_every_system_with_the_brand(evaluated):
    folder, printed = evaluated
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    writing = report["writing"]
    assert writing["requests"] == N_TEST
    assert writing["decoding"]["mode"] == "sampling" and writing["decoding"]["repetition_penalty"] == 1.1
    assert [(s["name"], s["kind"]) for s in writing["systems"]] == [
        ("base", "model"),
        ("prompted", "model"),
        ("tuned", "model"),
        ("random", "floor"),
        ("retrieval", "floor"),
        ("control", "control"),
        ("truth", "truth"),
    ]
    assert writing["prompted"]["examples"] == 4
    metrics = writing["metrics"]
    assert set(metrics["bleu"]["systems"]) == {"base", "prompted", "tuned", "random", "retrieval"}
    assert set(metrics["perplexity"]["paired"]) == {"base", "prompted"}  # tuned − base and tuned − prompted
    perplexity, with_end = metrics["perplexity"]["systems"], metrics["perplexity_with_end"]["systems"]
    assert perplexity["tuned"]["ci"][1] < perplexity["base"]["ci"][0]  # the trained model predicts the brand's documents better
    assert with_end["base"]["value"] != perplexity["base"]["value"]  # the end-of-turn token scored or not
    # the two-sample test: every system against the brand's texts, the control told apart; the copy check beside it
    two_sample = metrics["two_sample"]["systems"]
    assert set(two_sample) == {"base", "prompted", "tuned", "random", "retrieval", "control"}
    assert two_sample["control"]["ci"][0] > 50 and writing["two_sample"]["control"] == {"brand": CONTROL, "texts": N_TEST}
    assert [r["system"] for r in writing["two_sample"]["ranking"]] == sorted(
        ["base", "prompted", "tuned", "random", "retrieval"], key=lambda s: (two_sample[s]["value"], s)
    )
    copies = metrics["copies"]["systems"]
    assert copies["retrieval"]["value"] == 100 and copies["random"]["value"] == 100 and copies["control"]["value"] == 0
    assert set(writing["style"]["hashtags"]["systems"]) == {"base", "prompted", "tuned", "truth"}
    # one sentence each: perplexity given the request, the ranking, the tuned and prompted models' voices, the control,
    # fine-tuning against prompting, the floors; all in the verdict, report.md and the output
    sentences = writing["verdict"]
    assert sentences[0].startswith("Writing test: the tuned model's perplexity of the true documents")
    assert sentences[1].startswith(
        "Two-sample voice test (a classifier tells each system's texts from the brand's true texts of the same 12"
    )
    assert sentences[2].startswith("The tuned model's answers (") and sentences[3].startswith("The prompted base model's answers (")
    assert sentences[4].startswith(f"Control: {CONTROL}'s texts (another brand) are told apart from this brand's")
    assert sentences[5].startswith("Fine-tuning beats prompting with the brand's own posts") or sentences[5].startswith(
        "Fine-tuning does not beat"
    )
    assert sentences[6].startswith("Writing test: ") and len(sentences) == 7
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    for heading in ("## Writing test", "### Two-sample voice test", "### Copying", "### Style against the true texts"):
        assert heading in markdown
    assert (
        "| metric | better | base | prompted | tuned | tuned − base | tuned − prompted | random | retrieval | control | truth |" in markdown
    )
    assert all(s in report["verdict"] and s in markdown and s in printed for s in sentences)
    rows = read_jsonl(folder / "writing.jsonl")
    assert len(rows) == N_TEST and all(row["request"] and row["truth"] for row in rows)
    assert all(set(row["answers"]) == {"base", "prompted", "tuned"} and len(row["fewshot_train_index"]) == 4 for row in rows)
    assert all(set(row["copies"]) == {"base", "prompted", "tuned", "random", "retrieval", "truth"} for row in rows)
    assert all(row["perplexity_with_end"]["tuned"] > 0 for row in rows)


def test_the_card_of_the_evaluated_model_carries_the_verdict_and_no_other_card_does(evaluated):
    folder, _ = evaluated
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    merged, adapter = (folder.parent / kind / "README.md" for kind in ("merged", "adapter"))
    assert report["verdict"] in merged.read_text(encoding="utf-8")
    assert "Not evaluated yet" in adapter.read_text(encoding="utf-8")  # the adapter itself was not evaluated


def test_write_mode_prints_every_systems_answers_and_writes_nothing(stage, workspace, tmp_path):
    work, config = workspace
    printed = run(
        stage,
        config,
        "--write",
        "an Instagram caption for our monsoon pakora offer",
        "--write",
        "A Facebook post about Gulberg",
        "evaluate.write_max_new_tokens=6",
        f"paths.eval_dir={tmp_path / 'unused'}",
    )
    assert "=== request 1: an Instagram caption for our monsoon pakora offer" in printed and "=== request 2: A Facebook post" in printed
    for system in ("base", "prompted", "tuned"):
        assert printed.count(f"--- {system} (seed 0)") == 2
    assert printed.index("--- base (seed 0)") < printed.index("--- prompted (seed 0)") < printed.index("--- tuned (seed 0)")
    assert not (tmp_path / "unused").exists()
    without = run(
        stage, config, "--write", "A Facebook post about Gulberg", "evaluate.write_max_new_tokens=6", "evaluate.fewshot_examples=0"
    )
    assert "--- prompted" not in without and "--- tuned (seed 0)" in without
    with pytest.raises(ConfigError, match=r"^--write: the request is empty") as caught:
        stage.main(["--config", str(config), "--write", "  "])
    assert "\n" not in str(caught.value)


def test_adapter_evaluation_uses_the_base_weights_for_the_base_model(stage, workspace, evaluated):
    work, config = workspace
    folder = work / "eval-adapter"
    merged_card = (work / "merged" / "README.md").read_text(encoding="utf-8")
    run(stage, config, "evaluate.tuned_model=adapter", f"paths.eval_dir={folder}", "evaluate.max_texts=4")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["models"]["tuned"]["kind"] == "adapter" and report["texts"]["evaluated"] == 4
    adapter_rows = read_jsonl(folder / "generations.jsonl")
    merged_rows = read_jsonl(evaluated[0] / "generations.jsonl")[:4]
    # the adapter switched off is exactly the base model, and the adapter on is the merged model
    for a, m in zip(adapter_rows, merged_rows):
        assert a["perplexity"]["base"] == pytest.approx(m["perplexity"]["base"], rel=1e-5)
        assert a["perplexity"]["tuned"] == pytest.approx(m["perplexity"]["tuned"], rel=1e-4)
        assert a["base"] == m["base"]
    # 4 requests: the two-sample test says so in one line and gives no verdict
    assert (
        "Two-sample voice test: 4 held-out requests are fewer than evaluate.two_sample_min_requests=10, too few to tell voices "
        "apart, so it gives no verdict."
    ) in report["writing"]["verdict"] and "two_sample" not in report["writing"]["metrics"]
    # only the evaluated model's card changes: the adapter's now, the merged model's stays as it was
    assert report["verdict"] in (work / "adapter" / "README.md").read_text(encoding="utf-8")
    assert (work / "merged" / "README.md").read_text(encoding="utf-8") == merged_card


def test_prompt_mode_prints_both_continuations_and_writes_nothing(stage, workspace, tmp_path):
    work, config = workspace
    prompts_file = tmp_path / "prompts.txt"
    prompts_file.write_text("Baarish ka mausam hai\n\n", encoding="utf-8")
    printed = run(
        stage,
        config,
        "--prompt",
        "Garma garam chai",
        "--prompts",
        str(prompts_file),
        "evaluate.max_new_tokens_cap=6",
        f"paths.eval_dir={tmp_path / 'unused'}",
    )
    assert "=== prompt 1: Garma garam chai" in printed and "=== prompt 2: Baarish ka mausam hai" in printed
    assert printed.count("--- base") == 2 and printed.count("--- tuned") == 2
    assert not (tmp_path / "unused").exists()


def test_score_ratings_adds_win_rates_per_system_pair_to_the_report(stage, workspace, evaluated, tmp_path):
    _, config = workspace
    folder = evaluated[0]
    sheet_path = tmp_path / SHEET_NAME
    sheet, key = read_csv(folder / SHEET_NAME, SHEET_COLUMNS), read_csv(folder / KEY_NAME, KEY_COLUMNS)
    for row, answer in zip(sheet, key):  # the tuned model wins brand voice on continuations 1-8 and loses every other pair
        tuned_letter = "A" if answer["a"] == "tuned" else "B"
        other_letter = "B" if tuned_letter == "A" else "A"
        row["brand_voice_winner"] = tuned_letter if int(row["item"]) <= 8 else other_letter
        row["fluency_winner"] = "tie"
    write_csv(sheet_path, SHEET_COLUMNS, sheet)

    with pytest.raises(ConfigError, match="unblinding key .* not found: pass --key FILE"):
        stage.main(["--config", str(config), "--score-ratings", str(sheet_path)])
    printed = run(stage, config, "--score-ratings", str(sheet_path), "--key", str(folder / KEY_NAME))
    assert "| continuation | reads more like the brand | tuned vs base | 8 | 4 | 0 | 0 | 67% [" in printed
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    rows = {(r["task"], r["criterion"], *r["systems"]): r for r in report["human_ratings"]["win_rates"] if r["rater"] is None}
    voice = rows["continue", "brand_voice_winner", "tuned", "base"]
    assert voice["counts"] == {"tuned": 8, "base": 4, "tie": 0, "both_bad": 0} and voice["ci"][0] < 8 / 12 < voice["ci"][1]
    assert "| tuned vs base | 8 | 4 |" in (folder / "report.md").read_text(encoding="utf-8")
    assert rows["write", "brand_voice_winner", "tuned", "base"]["counts"]["base"] == N_TEST  # the request pairs
    assert rows["write", "brand_voice_winner", "tuned", "prompted"]["counts"]["prompted"] == N_TEST
    between = rows["write", "brand_voice_winner", "prompted", "base"]["counts"]
    assert between["prompted"] + between["base"] == N_TEST

    other_key = tmp_path / "other_key.csv"
    write_csv(other_key, KEY_COLUMNS, [{**row, "a": row["b"], "b": row["a"]} for row in key])
    with pytest.raises(StageError, match="is not the key of the report"):
        stage.main(["--config", str(config), "--score-ratings", str(sheet_path), "--key", str(other_key)])


# --------------------------------------------------------------------------- controls: a wrong model must fail


def test_the_base_model_given_as_the_tuned_one_shows_no_difference(stage, workspace, tiny_model_dir, tmp_path):
    work, config = workspace
    make_merged(tmp_path / "same", tiny_model_dir, None)
    run(stage, config, f"paths.merged_dir={tmp_path / 'same'}", f"paths.eval_dir={tmp_path / 'eval'}", "evaluate.fewshot_examples=0")
    report = json.loads((tmp_path / "eval" / "report.json").read_text(encoding="utf-8"))
    writing = report["writing"]
    assert report["systems"]["writing"] == ["base", "tuned"] and writing["prompted"] is None  # fewshot_examples=0: no prompted baseline
    for metrics in (report["metrics"], writing["metrics"]):
        for name in ("perplexity", "bleu"):
            assert metrics[name]["paired"]["base"]["difference"] == pytest.approx(0, abs=1e-6)
    assert writing["metrics"]["two_sample"]["paired"]["base"]["difference"] == 0
    assert "do not show a difference" in report["verdicts"]["half_split"][0] and "do not show a difference" in writing["verdict"][0]
    tuned = next(s for s in writing["verdict"] if s.startswith("The tuned model's answers"))
    assert "not shown closer to the brand's than the base model's (paired difference 0.00 [0.00, 0.00] points)" in tuned


def test_a_model_tuned_on_another_brand_is_not_reported_in_this_brands_voice(stage, workspace, tiny_model_dir, tmp_path):
    work, config = workspace
    make_adapter(tmp_path / "adapter", tiny_model_dir, formal_posts(48, seed=3))  # trained on the control brand
    make_merged(tmp_path / "merged", tiny_model_dir, tmp_path / "adapter")
    run(
        stage,
        config,
        f"paths.merged_dir={tmp_path / 'merged'}",
        f"paths.eval_dir={tmp_path / 'eval'}",  # on this brand's test split
        "evaluate.fewshot_examples=0",
    )
    writing = json.loads((tmp_path / "eval" / "report.json").read_text(encoding="utf-8"))["writing"]
    assert writing["metrics"]["two_sample"]["systems"]["tuned"]["ci"][0] > 50
    tuned = next(s for s in writing["verdict"] if s.startswith("The tuned model's answers"))
    assert "told apart from the brand's own texts, so not in the brand's voice" in tuned
    assert "indistinguishable" not in tuned and "closer to the brand's than the base model's are" not in tuned


def test_too_many_examples_for_the_context_is_one_line_before_any_generation(stage, workspace, tmp_path, caplog):
    work, config = workspace
    with pytest.raises(
        ConfigError,
        match=r"^evaluate.fewshot_examples=48: the prompted baseline's longest prompt \(\d+ tokens\) and an "
        r"answer of evaluate.write_max_new_tokens=16 do not fit .*'s context of 1024 tokens; \d+ examples fit: set "
        r"evaluate.fewshot_examples=\d+$",
    ) as caught:
        stage.main(["--config", str(config), "evaluate.fewshot_examples=48", f"paths.eval_dir={tmp_path / 'eval'}"])
    fits = int(str(caught.value).rsplit("=", 1)[1])
    assert 0 < fits < 48 and not (tmp_path / "eval").exists()
    assert "model loaded" not in caplog.text  # refused before any weights load


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


@pytest.mark.parametrize(
    "setup, kind, message",
    [
        (
            lambda work, config: [f"paths.merged_dir={work / 'nowhere'}"],
            ConfigError,
            r"paths.merged_dir \(evaluate.tuned_model=merged\): .*nowhere/manifest.json not found: run 05_merge.py first",
        ),
        (lambda work, config: ["model.base=/no/such/model"], ConfigError, r"model.base: /no/such/model is not a model folder"),
        (_adapter_on_another_base, StageError, r"was trained on NousResearch/Llama-2-7b-chat-hf \(its manifest.json\) but model.base is"),
        (_empty_test_split, StageError, r"dataset-empty split 'test' is empty"),
        (
            lambda work, config: ["evaluate.min_tokens=500"],
            StageError,
            rf"all {N_TEST} test texts .* are shorter than evaluate.min_tokens=500",
        ),
        (
            lambda work, config: [f"paths.dataset_dir={work / 'no-dataset'}"],
            ConfigError,
            r"no-dataset/manifest.json not found: run 03_build_dataset.py first",
        ),
        (_no_requests, StageError, r"dataset-old/train has no 'messages' column \(an older stage 3 made it\): rerun 03_build_dataset.py"),
    ],
    ids=["missing-merged", "missing-base", "adapter-base-mismatch", "empty-test", "all-too-short", "missing-dataset", "no-requests"],
)
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
