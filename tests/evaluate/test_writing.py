"""The writing test's parts on small data: the brand-voice classifier on classes that differ and on
classes that do not, the floor sentence of the verdict and the style statistics (request pairs in the rating sheet:
tests/evaluate/test_ratings.py). (06_evaluate.py end to end: tests/stages/test_06_evaluate.py.)"""

from __future__ import annotations

import random

import pytest

from brandtone.evaluate.findings import floor_sentence
from brandtone.evaluate.metrics import Scorer, bootstrap_weights, compare
from brandtone.evaluate.style import emoji, hashtags, roman_urdu_counts, style_scorers
from brandtone.evaluate.voice import brand_voice, voice_sentence
from tests.helpers.corpus import brand_posts

SUBJECTS = ["Our quarterly results", "The new compliance policy", "This software release", "The annual shareholder meeting",
            "Our customer service team", "The updated privacy statement", "Regional logistics", "The board of directors"]
PREDICATES = ["demonstrates continued commitment to operational excellence", "will be reviewed by the relevant stakeholders",
              "reflects our strategic priorities for the coming fiscal year", "is available upon request from head office",
              "ensures alignment with applicable regulatory frameworks", "has been optimised to deliver measurable value"]


def corporate_texts(count: int, seed: int) -> list[str]:
    """An assistant-like voice that shares no habits with the brand: formal English, no hashtags, no emoji, no Urdu."""
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}. Furthermore, it {rng.choice(PREDICATES)}." for _ in range(count)]


def classify(brand, base, scored, seed=0):
    weights = bootstrap_weights(len(next(iter(scored.values()))), 300, seed)
    return brand_voice(brand, base, scored, weights, confidence=0.95, bootstrap_samples=300, seed=seed)


def test_the_classifier_finds_a_voice_that_differs():
    voice = classify(brand_posts(30, seed=1), corporate_texts(30, seed=2),
                     {"tuned": brand_posts(50, seed=3)[30:], "base": corporate_texts(20, seed=4), "truth": brand_posts(70, seed=5)[50:]})
    assert voice["reliable"] and voice["accuracy"]["ci"][0] > 0.8
    shares = voice["shares"]["systems"]
    assert shares["truth"]["value"] > 0.9 and shares["tuned"]["value"] > 0.9 and shares["base"]["value"] < 0.1
    assert voice["shares"]["paired"]["ci"][0] > 0
    sentence = voice_sentence(voice, 0.95)
    assert "30 brand texts vs 30 base-model answers" in sentence and "read more like the brand than the base model's" in sentence


def test_the_classifier_claims_no_difference_between_the_same_voice():
    texts = brand_posts(100, seed=7)
    voice = classify(texts[:30], texts[30:60], {"tuned": texts[60:80], "base": texts[80:], "truth": brand_posts(120, seed=8)[100:]})
    assert not voice["reliable"] and voice["accuracy"]["ci"][0] <= 0.5
    sentence = voice_sentence(voice, 0.95)
    assert "cannot tell the brand's texts from the base model's" in sentence and "mean nothing" in sentence
    assert "read more like the brand" not in sentence


def _metrics(values: dict[str, dict[str, float]]) -> dict:
    """compare() results for constant per-text scores, so every value is exactly as given."""
    weights = bootstrap_weights(4, 100, 0)
    return {name: compare({s: Scorer([[v]] * 4, lambda st: st[0] / 4) for s, v in systems.items()}, weights, 0.95, "higher")
            for name, systems in values.items()}


def test_the_verdict_says_when_a_floor_beats_both_models():
    metrics = _metrics({
        "bleu": {"base": 3.0, "tuned": 5.0, "random": 1.0, "retrieval": 9.0},
        "chrf": {"base": 20.0, "tuned": 25.0, "random": 15.0, "retrieval": 31.0},
        "rouge_l": {"base": 10.0, "tuned": 14.0, "random": 8.0, "retrieval": 12.0},
    })
    sentence = floor_sentence(metrics, "Writing test")
    assert sentence.startswith("Writing test: the nearest training text floor scores above both models on BLEU (9.00 vs base 3.00, tuned 5.00)")
    assert "chrF (31.0 vs base 20.0, tuned 25.0)" in sentence and "ROUGE" not in sentence and "random" not in sentence
    assert sentence.endswith("so on those metrics copying text beats both models' writing.")
    metrics["bleu"]["systems"]["retrieval"]["value"] = metrics["chrf"]["systems"]["retrieval"]["value"] = 0.0
    assert floor_sentence(metrics, "Half-split test") == (
        "Half-split test: no floor (random training text, nearest training text) scores above both models on BLEU, chrF or ROUGE-L.")


def test_style_statistics_count_what_they_say():
    text = "Baarish ka mausam hai ☕️🌧️ #NukkarChai #Lahore, milte hain! © 2025 پیجیے"
    assert hashtags(text) == 2 and emoji(text) == 2  # the presentation selector is not an emoji; © is not one
    assert roman_urdu_counts(text) == (4, 6)  # ka, hai, milte, hain of baarish ka mausam hai milte hain
    style = style_scorers({"truth": [text, "Plain words only"]})
    assert style["hashtags"]["truth"].score() == 1.0 and style["roman_urdu"]["truth"].score() == pytest.approx(100 * 4 / 9)
