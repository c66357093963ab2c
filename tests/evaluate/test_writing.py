"""The writing test's parts on small data: the prompted baseline's prompts (the chosen examples, the context),
the floor sentence and the prompting sentence of the verdict, the style statistics, and every system's
request pairs in the blind rating sheet. (The two-sample test and copying: test_voice.py; 06_evaluate.py end
to end: tests/stages/test_06_evaluate.py.)"""

from __future__ import annotations

import pytest

from brandtone.evaluate.findings import floor_sentence, prompting_sentence
from brandtone.evaluate.metrics import Scorer, bootstrap_weights, compare
from brandtone.evaluate.ratings import RatingTask, rating_sheet
from brandtone.evaluate.style import emoji, hashtags, roman_urdu_counts, style_scorers
from tests.helpers.corpus import brand_posts


def _metrics(values: dict[str, dict[str, float]]) -> dict:
    """compare() results for constant per-text scores, so every value is exactly as given."""
    weights = bootstrap_weights(4, 100, 0)
    return {
        name: compare({s: Scorer([[v]] * 4, lambda st: st[0] / 4) for s, v in systems.items()}, weights, 0.95, "higher")
        for name, systems in values.items()
    }


def test_the_verdict_says_when_a_floor_beats_both_models():
    metrics = _metrics(
        {
            "bleu": {"base": 3.0, "tuned": 5.0, "random": 1.0, "retrieval": 9.0},
            "chrf": {"base": 20.0, "tuned": 25.0, "random": 15.0, "retrieval": 31.0},
            "rouge_l": {"base": 10.0, "tuned": 14.0, "random": 8.0, "retrieval": 12.0},
        }
    )
    sentence = floor_sentence(metrics, "Writing test")
    assert sentence.startswith(
        "Writing test: the nearest training text floor scores above both models on BLEU (9.00 vs base 3.00, tuned 5.00)"
    )
    assert "chrF (31.0 vs base 20.0, tuned 25.0)" in sentence and "ROUGE" not in sentence and "random" not in sentence
    assert sentence.endswith("so on those metrics copying text beats both models' writing.")
    metrics["bleu"]["systems"]["retrieval"]["value"] = metrics["chrf"]["systems"]["retrieval"]["value"] = 0.0
    assert floor_sentence(metrics, "Half-split test") == (
        "Half-split test: no floor (random training text, nearest training text) scores above both models on BLEU, chrF or ROUGE-L."
    )


def test_the_verdict_says_on_which_measures_fine_tuning_beats_prompting():
    metrics = _metrics(
        {  # constant per-text values: each paired difference is exact, its interval a point
            "perplexity": {"base": 30.0, "prompted": 20.0, "tuned": 12.0},
            "bleu": {"base": 3.0, "prompted": 6.0, "tuned": 6.0},
            "chrf": {"base": 20.0, "prompted": 31.0, "tuned": 25.0},
        }
    )
    metrics["perplexity"]["better"] = "lower"
    assert prompting_sentence(metrics, 4) == (
        "Fine-tuning beats prompting with the brand's own posts (the base model shown its 4 nearest training posts before each "
        "request) on perplexity (-8.00 [-8.00, -8.00]) (tuned − prompted, paired); this sample shows no difference "
        "on BLEU; prompting beats fine-tuning on chrF (-6.00 [-6.00, -6.00])."
    )
    metrics["perplexity"]["systems"]["tuned"]["value"] = 25.0
    del metrics["perplexity"]
    assert prompting_sentence(metrics, 1).startswith(
        "Fine-tuning does not beat prompting with the brand's own posts (the base model shown its 1 nearest training post before each "
        "request) on any measure; this sample shows no difference on BLEU; prompting beats fine-tuning on chrF"
    )


def test_style_statistics_count_what_they_say():
    text = "Baarish ka mausam hai ☕️🌧️ #NukkarChai #Lahore, milte hain! © 2025 پیجیے"
    assert hashtags(text) == 2 and emoji(text) == 2  # the presentation selector is not an emoji; © is not one
    assert roman_urdu_counts(text) == (4, 6)  # ka, hai, milte, hain of baarish ka mausam hai milte hain
    style = style_scorers({"truth": [text, "Plain words only"]})
    assert style["hashtags"]["truth"].score() == 1.0 and style["roman_urdu"]["truth"].score() == pytest.approx(100 * 4 / 9)


def test_every_pair_of_systems_joins_the_rating_sheet(tmp_path):
    sheet, key = rating_sheet(
        [
            RatingTask("continue", ["p1", "p2"], {"base": ["b1", "b2"], "tuned": ["t1", "t2"]}),
            RatingTask(
                "write", ["r1", "r2", "r3"], {"base": ["B1", "B2", "B3"], "prompted": ["P1", "P2", "P3"], "tuned": ["T1", "T2", "T3"]}
            ),
        ],
        seed=0,
    )
    assert [row["task"] for row in sheet] == ["continue"] * 2 + ["write"] * 9
    assert [row["prompt"] for row in sheet[2:]] == ["r1"] * 3 + ["r2"] * 3 + ["r3"] * 3  # a request's pairs together
    assert {frozenset((k["a"], k["b"])) for k in key[2:]} == {
        frozenset(p) for p in (("base", "prompted"), ("base", "tuned"), ("prompted", "tuned"))
    }
    assert all(row["on_request_winner"] == "n/a" for row in sheet[:2]) and all(row["on_request_winner"] == "" for row in sheet[2:])
    for row, answer in zip(sheet, key):  # the texts behind A and B are the key's systems'
        texts = {"b": "B", "t": "T", "p": "P"} if row["task"] == "write" else {"b": "b", "t": "t"}
        assert row["continuation_a"][0] == texts[answer["a"][0]] and row["continuation_b"][0] == texts[answer["b"][0]]


def test_the_prompted_baseline_shows_the_nearest_posts_and_fits_the_context(tiny_model_dir):
    from brandtone.config import ConfigError
    from brandtone.evaluate.metrics import TfidfIndex
    from brandtone.evaluate.prompted import FewShotPrompts
    from brandtone.models import load_tokenizer
    from brandtone.textformat import chat_prompt_ids, chat_prompt_text, text_ids

    tokenizer = load_tokenizer(str(tiny_model_dir))
    train = brand_posts(30, seed=2)
    train_requests = [f"Request number {i}: a post about chai" for i in range(30)]
    requests = ["A post about pakoray and the monsoon in Lahore", "Something for exam season students"]
    prompts = FewShotPrompts(tokenizer, requests, train, train_requests, 3, 16, 1024, "tiny")
    index = TfidfIndex(train)
    for request, picked, ids in zip(requests, prompts.train_index, prompts.prompt_ids):
        assert picked[::-1] == index.nearest_k(request, 3) and picked[-1] == index.nearest(request)  # the nearest sits last
        shown = [(train_requests[i], tokenizer.decode(text_ids(tokenizer, train[i])[:16])) for i in picked]
        assert ids == chat_prompt_ids(tokenizer, request, shown) and len(ids) + 16 <= 1024
        text = chat_prompt_text(tokenizer, request, shown)
        places = [text.index(r) for r, _ in shown] + [text.index(request)]
        assert places == sorted(places) and all(post in text for _, post in shown)  # each post after its request, the request last
        assert len(ids) > len(chat_prompt_ids(tokenizer, request)) + 3 * 16  # the examples are really in it
    # too many examples for the context: one line naming the key and the number that fits, before anything runs
    one = max(
        len(chat_prompt_ids(tokenizer, r, [(train_requests[p[-1]], tokenizer.decode(text_ids(tokenizer, train[p[-1]])[:16]))]))
        for r, p in zip(requests, prompts.train_index)
    )
    with pytest.raises(
        ConfigError,
        match=r"^evaluate.fewshot_examples=3: the prompted baseline's longest prompt \(\d+ tokens\) and an answer of "
        r"evaluate.write_max_new_tokens=16 do not fit tiny's context of \d+ tokens; 1 example fits: set evaluate.fewshot_examples=1$",
    ):
        FewShotPrompts(tokenizer, requests, train, train_requests, 3, 16, one + 16, "tiny")
    with pytest.raises(ConfigError, match="no example fits: set evaluate.fewshot_examples=0"):
        FewShotPrompts(tokenizer, requests, train, train_requests, 3, 16, 20, "tiny")
