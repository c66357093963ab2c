"""Stage 6's brand-voice classifier: does an answer read like the brand or like the base model?

It is trained on pairs that share their topic and differ in voice: the brand's
own texts of a sample of training-split requests (class "brand") and the base
model's answers to those same requests (class "base"), so the classes are
balanced and what tells them apart is how they are written, not what about.
Features are character 2-5-grams (TF-IDF, within word boundaries, so Urdu
script, emoji and hashtags count too) and the model is a logistic regression
(scikit-learn).

Its held-out accuracy comes from stratified k-fold cross-validation over those
pairs (each text predicted by a model that never saw it), with a bootstrap
interval over the texts. The classifier refit on all of them then labels the
held-out documents' tuned answers, base answers and true texts; the share it
calls "brand" of the true texts is its recall. When the accuracy interval
reaches chance (0.5) or the recall is below RELIABLE_RECALL, the classifier
cannot tell the brand's voice apart and the shares it reports mean nothing:
`reliable` is false and the verdict says so.
"""

from __future__ import annotations

import numpy as np

from brandtone.evaluate.metrics import bootstrap_weights, compare, mean_scorer

RELIABLE_RECALL = 0.5  # a classifier that calls fewer than half of the brand's own texts "brand" has not learnt its voice
FOLDS = 5
FEATURES = "TF-IDF of character 2-5-grams (char_wb, sublinear tf) + logistic regression (balanced classes)"


def classifier(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed),
    )


def brand_voice(brand: list[str], base: list[str], scored: dict[str, list[str]], weights: np.ndarray, *,
                confidence: float, bootstrap_samples: int, seed: int) -> dict:
    """Train on `brand` (label 1) vs `base` (label 0); report accuracy and the share of each of `scored`'s
    systems ("tuned", "base", "truth", paired over the same items, resampled with `weights`) called brand."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, labels = brand + base, np.array([1] * len(brand) + [0] * len(base))
    folds = min(FOLDS, len(brand), len(base))
    result = {"features": FEATURES, "trained_on": {"brand": len(brand), "base": len(base)}, "folds": folds}
    if folds < 2:
        return {**result, "reliable": False, "accuracy": None, "shares": None,
                "reason": "fewer than 2 texts in a class: nothing to train on"}
    predicted = cross_val_predict(classifier(seed), texts, labels, cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
    correct = [[float(c)] for c in predicted == labels]
    accuracy = compare({"classifier": mean_scorer(correct)}, bootstrap_weights(len(texts), bootstrap_samples, seed),
                       confidence, "higher")["systems"]["classifier"]
    model = classifier(seed).fit(texts, labels)
    calls = {name: model.predict(items).astype(int).tolist() if items else [] for name, items in scored.items()}
    shares = compare({name: mean_scorer([[float(c)] for c in c_]) for name, c_ in calls.items()}, weights, confidence, "higher")
    recall = shares["systems"]["truth"]["value"] if "truth" in shares["systems"] else None
    reliable = accuracy["ci"][0] > 0.5 and recall is not None and recall >= RELIABLE_RECALL
    reason = None if reliable else (
        "held-out accuracy interval reaches chance (0.5)" if accuracy["ci"][0] <= 0.5
        else f"recall {recall:.0%} is under {RELIABLE_RECALL:.0%}"
    )
    return {**result, "reliable": reliable, "reason": reason, "accuracy": accuracy, "shares": shares, "calls": calls}


def voice_sentence(voice: dict, confidence: float) -> str:
    """The classifier's verdict, or why its shares mean nothing."""
    trained = f"{voice['trained_on']['brand']} brand texts vs {voice['trained_on']['base']} base-model answers"
    if voice["accuracy"] is None:
        return f"The brand-voice classifier was not trained ({voice['reason']}), so it says nothing about the brand voice."
    accuracy = voice["accuracy"]
    systems = voice["shares"]["systems"]
    acc = f"held-out accuracy {_share(accuracy['value'])} [{_share(accuracy['ci'][0])}, {_share(accuracy['ci'][1])}]"
    recall = f"recall {_share(systems['truth']['value'])} on the true held-out texts"
    if not voice["reliable"]:
        return (f"The brand-voice classifier ({trained}; {acc}, {recall}) cannot tell the brand's texts from the base "
                f"model's ({voice['reason']}), so the shares of answers it calls brand mean nothing.")
    paired = voice["shares"]["paired"]
    low, high = paired["ci"]
    if low > 0:
        conclusion = "the tuned model's answers read more like the brand than the base model's"
    elif high < 0:
        conclusion = "the tuned model's answers read less like the brand than the base model's"
    else:
        conclusion = "it does not show the tuned model's answers reading more like the brand than the base model's"
    tuned, base = systems["tuned"], systems["base"]
    return (
        f"The brand-voice classifier ({trained}; {acc}, {recall}) calls {_share(tuned['value'])} "
        f"[{_share(tuned['ci'][0])}, {_share(tuned['ci'][1])}] of tuned answers and {_share(base['value'])} "
        f"[{_share(base['ci'][0])}, {_share(base['ci'][1])}] of base answers brand ({confidence:.0%} bootstrap CIs; "
        f"paired difference {_signed_share(paired['difference'])} [{_signed_share(low)}, {_signed_share(high)}]), so {conclusion}."
    )


def _share(x: float) -> str:
    return "n/a" if x is None or x != x else f"{x:.0%}"


def _signed_share(x: float) -> str:
    return ("+" if x > 0 else "") + _share(x)
