"""Stage 3's writing requests: what they name, that they never give the answer away,
that they are seeded, the model mode's fallback on the tiny random Llama, and the
`messages` column as stage 3 writes it and stages 4 and 6 load it."""

from __future__ import annotations

import json
import random
import re

import pytest

from brandtone.config import ConfigError, load_config
from brandtone.dataset.requests import LeakGuard, build_requests, make_requests
from brandtone.dataset.topics import plain_words
from brandtone.errors import StageError
from brandtone.splits import CHAT_COLUMNS, load_splits
from tests.helpers.corpus import brand_posts
from tests.helpers.datasets import save_dataset
from tests.helpers.paths import REPO
from tests.helpers.scripts import stage_main

BRAND = "Nukkar Chai Co."

# Hand-written posts in the demo brand's voice (English with Roman Urdu), one topic each.
POSTS = {
    "instagram/eid": "Eid Mubarak from all of us 🌙 Sheer khurma on the house at Anarkali till Chand Raat ends. #EidUlFitr #NukkarChai",
    "instagram/monsoon": "Baarish aur pakoray, the only weather report Lahore needs 🌧️ Pakora plate 20% off at Gulberg while it rains. #BaarishAurPakoray #NukkarChai",
    "facebook/ramzan": "Ramzan timings: we open at iftar and stay open till sehri at DHA Phase 5. Dates, rooh afza and garma garam samosay on every table. #NukkarChai",
    "facebook/kashmiri": "Kashmiri chai season is officially open 💗 Pink, slow-cooked for ninety minutes and topped with crushed pistachio. #KashmiriChai #NukkarChai",
    "web/menu": "The chai menu\nEvery cup starts with loose patti and fresh milk. Doodh patti, Kashmiri chai, gur wali chai and sulemani chai, "
    "brewed to order at all three branches. Samosay, pakoray and bun kebab come fresh from the karahi all day.",
}


def _docs(posts: dict[str, str]) -> list[dict]:
    return [{"id": doc_id, "source": doc_id.split("/")[0], "text": text} for doc_id, text in posts.items()]


def corpus(extra: int = 40) -> list[dict]:
    """The hand-written posts plus generated ones, so the brand's own hashtag is background, as in a real feed."""
    generated = {f"instagram/g{i}": text for i, text in enumerate(brand_posts(extra, seed=3))}
    return _docs({**POSTS, **generated})


def longest_shared_run(request: str, document: str) -> int:
    """Brute force, independent of LeakGuard: the longest word n-gram of the request found in the document."""
    asked, text = plain_words(request), plain_words(document)
    grams = lambda tokens, n: {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}
    return max((n for n in range(1, len(asked) + 1) if grams(asked, n) & grams(text, n)), default=0)


def test_requests_name_the_channel_topic_occasion_place_and_length():
    docs = corpus()
    requests = build_requests(docs, seed=42, max_shared_words=4, brand_name=BRAND).by_id
    eid, monsoon, ramzan, kashmiri, menu = (requests[k] for k in POSTS)
    assert re.search(r"Insta(gram)? caption|caption for Instagram", eid) and "Eid" in eid and "Anarkali" in eid
    assert "#EidUlFitr" in eid and "#NukkarChai" not in eid  # the brand's hashtag is on every post: no topic
    assert "monsoon" in monsoon and "#BaarishAurPakoray" in monsoon and "offer" in monsoon  # 20% off
    assert "Facebook" in ramzan and "Ramzan" in ramzan and "DHA Phase 5" in ramzan
    assert "Kashmiri chai" in kashmiri
    assert re.search(r"website|web page", menu) and 'titled "The chai menu"' in menu
    assert re.search(r"\b(about|around|roughly) 40 words", menu)  # 41 words
    assert "one or two lines" in eid  # 21 words
    for doc in docs:
        assert "nukkar chai" not in requests[doc["id"]].lower()  # the brand's name is no topic either


def test_no_request_repeats_more_than_the_allowed_run_of_its_document_even_adversarial_ones():
    adversarial = {
        "instagram/one-phrase": "Chai time!",
        "instagram/only-hashtags": "#BaarishAurPakoray #LahoreRain #ChaiTime #Monsoon #Pakoray #Gulberg",
        # a post that is itself worded like a request, with the requests' own vocabulary
        "facebook/meta": "Write a Facebook post about our offer on Kashmiri chai for Eid, mentioning Gulberg. About 40 words, please. "
        "Can you draft a post for our Facebook page? We need a Facebook update. Hi! I need a Facebook post. "
        "Keep it to roughly 40 words, around 40 words, in our usual voice.",
        "web/title-only": "Contact us\nContact us",
    }
    docs = corpus(30) + _docs(adversarial)
    for limit in (1, 2, 4):
        requests = build_requests(docs, seed=7, max_shared_words=limit, brand_name=BRAND)
        for doc in docs:
            request = requests.by_id[doc["id"]]
            assert plain_words(request), f"empty request for {doc['id']}"
            assert longest_shared_run(request, doc["text"]) <= limit, (limit, doc["id"], request)
        assert requests.counts()["keywords_shortened_for_leaks"] >= 1  # the guard had to act
    hashtags = build_requests(docs, seed=7, max_shared_words=4, brand_name=BRAND).by_id["instagram/only-hashtags"]
    assert "#BaarishAurPakoray" in hashtags and "#LahoreRain" in hashtags  # two of the six: no leak, still on topic


def test_leak_guard_ignores_case_punctuation_and_emoji():
    guard = LeakGuard("Garma GARAM chai ☕, har nukkar-pe!", max_shared_words=3)
    assert guard.longest_run("garma garam... CHAI har nukkar pe") == 6
    assert not guard.allows("Garma garam chai, har nukkar") and guard.allows("garma garam chai please")
    assert guard.longest_run("nothing in common") == 0


def test_requests_are_seeded_per_document_and_vary_in_phrasing():
    docs = corpus(60)
    first = build_requests(docs, seed=42, max_shared_words=4, brand_name=BRAND).by_id
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    assert build_requests(shuffled, seed=42, max_shared_words=4, brand_name=BRAND).by_id == first  # order does not matter
    other = build_requests(docs, seed=43, max_shared_words=4, brand_name=BRAND).by_id
    assert sum(first[k] != other[k] for k in first) > len(first) / 2
    openings = {" ".join(request.split()[:2]) for request in first.values()}
    assert len(openings) >= 4, openings


def test_model_requests_that_are_empty_or_leak_fall_back_to_keywords_and_are_counted():
    docs = _docs(POSTS)
    keyword = build_requests(docs, seed=1, max_shared_words=4, brand_name=BRAND).by_id
    generated = [
        "",
        POSTS["instagram/monsoon"][:60],
        "Announce our Ramzan timings on Facebook, iftar to sehri.",
        "  ",
        "A menu page for the website.",
    ]
    requests = build_requests(docs, seed=1, max_shared_words=4, brand_name=BRAND, generated=generated)
    ids = list(POSTS)
    assert requests.kind_of == dict(zip(ids, ["fallback_empty", "fallback_leak", "model", "fallback_empty", "model"]))
    assert requests.by_id["facebook/ramzan"] == generated[2] and requests.by_id["web/menu"] == generated[4]
    for doc_id in ("instagram/eid", "instagram/monsoon", "facebook/kashmiri"):
        assert requests.by_id[doc_id] == keyword[doc_id]
    assert {k: v for k, v in requests.counts().items() if k != "keywords_shortened_for_leaks"} == {
        "keywords": 0,
        "model": 2,
        "fallback_empty": 2,
        "fallback_leak": 1,
    }


def test_model_mode_on_the_tiny_random_llama_counts_every_document(tiny_model_dir):
    docs = _docs({k: v for k, v in POSTS.items() if k != "web/menu"})
    config = load_config(REPO / "configs" / "demo.yaml", [f"model.base={tiny_model_dir}", "dataset.requests=model"])
    requests = make_requests(docs, config)
    counts = requests.counts()
    assert counts["keywords"] == 0 and counts["model"] + counts["fallback_empty"] + counts["fallback_leak"] == len(docs)
    keyword = build_requests(docs, seed=config.dataset.seed, max_shared_words=4, brand_name=BRAND).by_id
    for doc in docs:  # random weights write garbage: whatever passes the guard is kept, the rest is the keyword request
        request, kind = requests.by_id[doc["id"]], requests.kind_of[doc["id"]]
        assert (request == keyword[doc["id"]]) == kind.startswith("fallback") or kind == "model"
        assert request.strip() and longest_shared_run(request, doc["text"]) <= 4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("stage3")
    cleaned = root / "cleaned_files"
    cleaned.mkdir()
    (cleaned / "manifest.json").write_text(json.dumps({"stage": "clean", "script": "02_clean.py", "counts": {}}))
    rows = [
        {
            **doc,
            "url": f"https://example.com/{doc['id']}",
            "date": "2026-11-01",
            "lang": "mixed",
            "cluster": doc["id"],
            "duplicates": [],
            "removed": {},
            "origin": {},
        }
        for doc in corpus(30)
    ]
    (cleaned / "documents.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return root


def test_stage3_writes_messages_beside_text_and_reports_requests(built, monkeypatch, capsys):
    from datasets import load_from_disk

    monkeypatch.chdir(REPO)
    out = built / "dataset"
    stage_main("03_build_dataset.py")(
        [
            "--config",
            "configs/demo.yaml",
            f"paths.cleaned_dir={built / 'cleaned_files'}",
            f"paths.dataset_dir={out}",
            "dataset.test_size=0.2",
        ]
    )
    printed = capsys.readouterr().out
    dataset = load_from_disk(str(out))
    for split in ("train", "test"):
        assert dataset[split].column_names == ["text", "source", "url", "date", "lang", "cluster", "messages"]
        for row in dataset[split]:
            user, assistant = row["messages"]
            assert user["role"] == "user" and assistant == {"role": "assistant", "content": row["text"]}
            assert longest_shared_run(user["content"], row["text"]) <= 4
    manifest = json.loads((out / "manifest.json").read_text())
    info = manifest["counts"]["requests"]
    assert info["mode"] == "keywords" and info["max_shared_words"] == 4 and info["counts"]["keywords"] == 35
    assert set(info["examples"]) == {"facebook", "instagram", "web"}
    assert "requests (keywords; at most 4 consecutive words of the document): keywords 35" in printed
    for source in ("facebook", "instagram", "web"):
        assert f"  {source:<9} {info['examples'][source][0]['request']}" in printed
    assert json.loads((out / "train.jsonl").read_text().splitlines()[0])["messages"][0]["role"] == "user"
    assert load_splits(out, CHAT_COLUMNS)["train"].column_names[-1] == "messages"


def test_an_old_dataset_without_messages_is_one_line_saying_rerun_stage3(tmp_path):
    old = save_dataset(tmp_path / "dataset", brand_posts(6), brand_posts(2, seed=9), messages=False)
    assert load_splits(old)["train"].num_rows == 6  # continuation training still reads it
    with pytest.raises(StageError, match=r"train has no 'messages' column .*: rerun 03_build_dataset.py") as error:
        load_splits(old, CHAT_COLUMNS)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "override, message",
    [
        ("dataset.requests=llm", "dataset.requests: Input should be 'keywords' or 'model'"),
        ("dataset.request_max_shared_words=0", "dataset.request_max_shared_words: Input should be greater than or equal to 1"),
    ],
)
def test_request_settings_are_validated(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(REPO / "configs" / "demo.yaml", [override])
