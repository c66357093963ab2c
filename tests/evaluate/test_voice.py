"""The two-sample voice test and the copy check on small data: another brand's texts are told apart from the
brand's, the brand's own held-out texts are not, a model identical to the base shows no difference, verbatim
training texts are flagged as copies (and the verdict says so), and a sample too small gives no verdict."""

from __future__ import annotations

import pytest

from brandtone.config_schema import EvaluateConfig
from brandtone.dedup import NearDuplicateRule
from brandtone.evaluate.copying import COPY_MIN_WORDS, COPY_SPAN_WORDS, find_copies
from brandtone.evaluate.metrics import bootstrap_weights, compare
from brandtone.evaluate.voice import closeness, pair_accuracy, voice_scorers
from tests.helpers.corpus import brand_posts, formal_posts

LABELS = {
    "base": "base model",
    "tuned": "tuned model",
    "prompted": "prompted base model",
    "retrieval": "nearest training text",
    "control": "Brisdale Mutual's texts",
}
N = 24  # held-out requests: above the minimum the tests' config sets


def run(texts: dict[str, list[str]], truths: list[str], train: list[str], control=None, minimum: int = 10) -> dict:
    ev = EvaluateConfig(bootstrap_samples=300, two_sample_min_requests=minimum, write_max_new_tokens=48)
    return closeness(
        texts,
        truths,
        control,
        train,
        NearDuplicateRule(),
        bootstrap_weights(len(truths), 300, 0),
        ev=ev,
        labels=LABELS,
        models=[m for m in ("base", "prompted", "tuned") if m in texts],
    )


def accuracy(texts: list[str], truths: list[str]) -> dict:
    return compare(voice_scorers({"system": texts}, truths, seed=0), bootstrap_weights(len(truths), 300, 0), 0.95, "lower")["systems"][
        "system"
    ]


def test_another_brands_texts_are_told_apart_from_the_brands():
    truths = brand_posts(N, seed=1)
    result = accuracy(formal_posts(N, seed=2), truths)
    assert result["value"] > 90 and result["ci"][0] > 75
    # each request's two texts are predicted out of fold: a classifier that never saw them
    assert all(pair == [100.0, 100.0] for pair in pair_accuracy(formal_posts(N, seed=2), truths, seed=0)[:20])


def test_the_brands_own_held_out_texts_are_indistinguishable_from_it():
    texts = brand_posts(2 * N, seed=3)
    result = accuracy(texts[:N], texts[N:])
    assert result["ci"][0] <= 50 <= result["ci"][1] and 25 <= result["value"] <= 75


def test_the_verdict_tells_the_control_apart_and_finds_no_difference_when_tuned_is_base():
    truths, train = brand_posts(N, seed=4), brand_posts(60, seed=5)[N:]
    base_answers = formal_posts(N, seed=6)  # a base model far from the brand, and the same model given as the tuned one
    found = run({"base": base_answers, "tuned": list(base_answers)}, truths, train, control=("Brisdale Mutual", formal_posts(N, seed=7)))
    two_sample = found["metrics"]["two_sample"]
    assert two_sample["paired"]["base"]["difference"] == 0 and two_sample["paired"]["base"]["ci"] == (0.0, 0.0)
    tuned, control = found["sentences"][1], found["sentences"][-1]
    assert tuned.startswith("The tuned model's answers (") and "told apart from the brand's own texts, so not in the brand's voice" in tuned
    assert "not shown closer to the brand's than the base model's (paired difference 0.00 [0.00, 0.00] points)" in tuned
    assert (
        control.startswith("Control: Brisdale Mutual's texts (another brand) are told apart from this brand's")
        and "as they must be" in control
    )
    assert found["metrics"]["copies"]["systems"]["control"]["value"] == 0


def test_a_model_writing_like_the_brand_reads_indistinguishable_and_closer_than_the_base():
    texts = brand_posts(2 * N + 40, seed=8)
    truths, tuned, train = texts[:N], texts[N : 2 * N], texts[2 * N :]
    found = run({"base": formal_posts(N, seed=9), "tuned": tuned}, truths, train)
    ranking = found["two_sample"]["ranking"]
    assert [r["system"] for r in ranking] == ["tuned", "base"] and ranking[0]["next"]["separated"]
    assert not ranking[0]["told_apart"] and ranking[1]["told_apart"]
    sentence = found["sentences"][1]
    assert (
        "indistinguishable from the brand's own texts at this sample size" in sentence
        and "closer to the brand's than the base model's are" in sentence
    )
    assert "tuned model" in found["sentences"][0] and "Closest to the brand first: tuned model < base model" in found["sentences"][0]


def test_verbatim_training_texts_are_flagged_as_copies_and_the_verdict_says_so():
    train = brand_posts(80, seed=10)
    truths = formal_posts(N, seed=11)  # held-out texts that share nothing with the training texts...
    copied = [" ".join(t.split()[:30]) for t in train[:N]]  # ...and answers that are training posts cut at the answers' cap
    found = run({"base": formal_posts(N, seed=12), "tuned": copied}, truths, train)
    copies = found["metrics"]["copies"]["systems"]
    assert copies["tuned"]["value"] == 100 and copies["truth"]["value"] == 0 and copies["base"]["value"] == 0
    assert found["copies"]["tuned"][0]["train_index"] == 0 and found["copies"]["tuned"][0]["kind"] == "near"
    assert found["copying"]["examples"]["tuned"][0]["train_text"] == train[0]
    assert "100% of them reproduce a training text (the brand's own held-out texts: 0%)" in found["sentences"][1]
    assert "from copying" in found["sentences"][1]


def test_a_lifted_sentence_or_a_copied_opening_is_a_copy_and_a_shorter_run_is_not():
    train = ["Our chaiwalas brew every single cup to order on the stove with elaichi, saunf and a great deal of patience, yaar."]
    words = train[0].split()
    lifted = "New this week! " + " ".join(words[2 : 2 + COPY_SPAN_WORDS]) + " Come see us."
    shorter = "New this week! " + " ".join(words[2 : 2 + COPY_SPAN_WORDS - 2]) + " Come see us."
    opening, greeting = " ".join(words[:9]) + " th", " ".join(words[: COPY_MIN_WORDS - 1])  # cut at a small cap, mid-word
    found = find_copies({"answers": [lifted, shorter, opening, greeting]}, ["Something else entirely.", *train], NearDuplicateRule())[
        "answers"
    ]
    assert found[0] == {"train_index": 1, "kind": "span", "similarity": None} and found[1] is None
    # the copied opening: inside the training text, which the near-duplicate rule's containment already catches
    assert found[2]["train_index"] == 1 and found[2]["kind"] in ("near", "inside") and found[3] is None


def test_a_sample_too_small_gives_one_line_and_no_verdict():
    truths = brand_posts(8, seed=13)
    found = run(
        {"base": formal_posts(8, seed=14), "tuned": brand_posts(16, seed=15)[8:]}, truths, brand_posts(30, seed=16)[16:], minimum=10
    )
    assert found["sentences"] == [
        "Two-sample voice test: 8 held-out requests are fewer than evaluate.two_sample_min_requests=10, "
        "too few to tell voices apart, so it gives no verdict."
    ]
    assert "two_sample" not in found["metrics"] and found["two_sample"]["too_small"]
    assert "copies" in found["metrics"]  # the copy check needs no minimum


@pytest.mark.parametrize("system", ["identical", "empty"])
def test_degenerate_answers_do_not_break_the_test(system):
    truths = brand_posts(12, seed=17)
    texts = list(truths) if system == "identical" else [""] * 12
    result = accuracy(texts, truths)
    assert 0 <= result["value"] <= 100
    if system == "empty":
        assert result["value"] > 90  # no text at all is told apart from the brand's
