"""Human judgments without a browser: the blind sheet over any number of systems, sheets saved by spreadsheet
programs in other encodings, win rates with bootstrap intervals and agreement, and the votes file (one vote
per rater and pair, concurrent raters, damaged lines). The page itself: tests/evaluate/test_serve.py."""

from __future__ import annotations

import codecs
import json
import threading

import numpy as np
import pytest

from brandtone.errors import StageError
from brandtone.evaluate.human_scores import Rating, ratings_summary, score, summary_tables
from brandtone.evaluate.ratings import (
    CRITERIA,
    KEY_COLUMNS,
    KEY_NAME,
    SHEET_COLUMNS,
    SHEET_NAME,
    VOTES_NAME,
    RatingTask,
    carry_over_ratings,
    rating_sheet,
    read_csv,
    sheet_ratings,
    write_csv,
)
from brandtone.evaluate.votes import VoteBook, VoteRefused, load_pairs, read_votes, vote_ratings

URDU = "چائے کا وقت ہے ☕"


def two_system_sheet(n: int = 12, requests: int = 0):
    tasks = [
        RatingTask(
            "continue",
            [f"prompt {i} {URDU}" for i in range(n)],
            {"base": [f"base {i}" for i in range(n)], "tuned": [f"tuned {i}" for i in range(n)]},
        )
    ]
    if requests:
        tasks.append(
            RatingTask(
                "write",
                [f"r{i}" for i in range(requests)],
                {"base": [f"B{i}" for i in range(requests)], "tuned": [f"T{i}" for i in range(requests)]},
            )
        )
    return rating_sheet(tasks, seed=0)


def letter_of(system: str, key_row: dict) -> str:
    return "A" if key_row["a"] == system else "B"


def saved(folder, sheet, key):
    write_csv(folder / SHEET_NAME, SHEET_COLUMNS, sheet)
    write_csv(folder / KEY_NAME, KEY_COLUMNS, key)
    return folder / SHEET_NAME, folder / KEY_NAME


def judged(ratings, task="continue", criterion="brand_voice_winner", rater=None, confidence=0.95):
    section = score(ratings, confidence=confidence, bootstrap_samples=500, seed=0, sources=["test"])
    return [r for r in section["win_rates"] if r["task"] == task and r["criterion"] == criterion and r["rater"] == rater], section


# --------------------------------------------------------------------------- the sheet


def test_every_pair_of_systems_gets_blind_items_in_both_orders():
    answers = {s: [f"{s} answer {i}" for i in range(20)] for s in ("base", "tuned", "prompted")}
    sheet, key = rating_sheet([RatingTask("write", [f"request {i}" for i in range(20)], answers)], seed=3)
    assert len(sheet) == 60  # three pairs per request
    met = {frozenset((row["a"], row["b"])) for row in key}
    assert met == {frozenset(p) for p in (("base", "tuned"), ("base", "prompted"), ("tuned", "prompted"))}
    assert {(row["a"], row["b"]) for row in key} >= {("tuned", "base"), ("base", "tuned")}  # both sides occur
    for row, answer in zip(sheet, key):
        assert row["continuation_a"] == answers[answer["a"]][answer["text_index"]] and set(row) == set(SHEET_COLUMNS)
    assert sheet == rating_sheet([RatingTask("write", [f"request {i}" for i in range(20)], answers)], seed=3)[0]


def test_a_filled_sheet_scores_win_rates_per_test_from_the_key(tmp_path):
    sheet, key = two_system_sheet(12, requests=3)
    for row, answer in zip(sheet, key):  # tuned wins brand voice on all but item 1; fluency is a tie; "both bad" on r2
        tuned, base = letter_of("tuned", answer), letter_of("base", answer)
        row["brand_voice_winner"] = tuned if row["item"] != 1 else base
        row["fluency_winner"] = "tie" if row["prompt"] != "r2" else "both bad"
        if row["task"] == "write":
            row["on_request_winner"] = tuned
    sheet_path, key_path = saved(tmp_path, sheet, key)
    assert sheet_path.read_bytes().startswith(codecs.BOM_UTF8)  # spreadsheets read it as UTF-8
    (voice,), section = judged(sheet_ratings(sheet_path, key_path))
    assert voice["systems"] == ["tuned", "base"] and voice["counts"] == {"tuned": 11, "base": 1, "tie": 0, "both_bad": 0}
    assert voice["win_rate"] == pytest.approx(11 / 12) and voice["ci"][0] < 11 / 12 <= voice["ci"][1] <= 1
    (fluency,), _ = judged(sheet_ratings(sheet_path, key_path), task="write", criterion="fluency_winner")
    assert fluency["counts"] == {"tuned": 0, "base": 0, "tie": 2, "both_bad": 1} and fluency["win_rate"] is None
    assert section["raters"] == [SHEET_NAME] and "| continuation | reads more like the brand | tuned vs base | 11 | 1 |" in ratings_summary(
        section
    )

    sheet[3]["fluency_winner"] = "maybe"
    write_csv(sheet_path, SHEET_COLUMNS, sheet)
    with pytest.raises(StageError, match=r"line 5, fluency_winner: 'maybe' is not A, B, tie or both bad"):
        sheet_ratings(sheet_path, key_path)


@pytest.fixture
def filled(tmp_path):
    """A sheet whose rater picked the tuned answer on every continuation, and what that scores."""
    sheet, key = two_system_sheet(8)
    for row, answer in zip(sheet, key):
        row["brand_voice_winner"] = letter_of("tuned", answer)
    sheet_path, key_path = saved(tmp_path, sheet, key)
    return sheet, key_path, sheet_ratings(sheet_path, key_path)


def resaved(tmp_path, sheet, encoding: str, delimiter: str = ",", errors: str = "strict") -> bytes:
    lines = [delimiter.join(SHEET_COLUMNS)] + [delimiter.join(str(row[c]).replace(delimiter, " ") for c in SHEET_COLUMNS) for row in sheet]
    return "\r\n".join(lines).encode(encoding, errors=errors)


@pytest.mark.parametrize(
    "encoding, delimiter, errors",
    [
        ("utf-16", "\t", "strict"),  # Excel's "Unicode Text": UTF-16 little-endian with its byte-order mark, tab-separated
        ("cp1252", ",", "replace"),  # Excel's plain "CSV" on a Western Windows: Urdu and emoji become "?"
        ("utf-8", ";", "strict"),  # no byte-order mark, and a semicolon as in a European Excel
    ],
)
def test_sheets_saved_by_spreadsheet_programs_score_the_same(tmp_path, filled, encoding, delimiter, errors):
    sheet, key_path, expected = filled
    sheet[0]["prompt"] += " café — “quoted”"  # Windows-1252's own letters and punctuation
    path = tmp_path / f"saved-{encoding}.csv"
    path.write_bytes(resaved(tmp_path, sheet, encoding, delimiter, errors))
    got = sheet_ratings(path, key_path)
    assert [(r.item, r.a, r.b, r.choice) for r in got] == [(r.item, r.a, r.b, r.choice) for r in expected]
    prompt = read_csv(path, SHEET_COLUMNS)[0]["prompt"]
    assert prompt.endswith("café — “quoted”") and (URDU in prompt) == (encoding != "cp1252")


@pytest.mark.parametrize(
    "damage", ["stray byte in UTF-8", "stray byte after a byte-order mark", "UTF-16 without its mark", "undefined in Windows-1252"]
)
def test_a_sheet_in_no_known_encoding_is_one_line_asking_for_csv_utf8(tmp_path, filled, damage):
    sheet, key_path, _ = filled
    data = resaved(tmp_path, sheet, "utf-8")
    data = {
        "stray byte in UTF-8": data.replace(b"prompt 3", b"prompt \xff3"),
        "stray byte after a byte-order mark": codecs.BOM_UTF8 + data.replace(b"prompt 3", b"prompt \xe93"),
        "UTF-16 without its mark": resaved(tmp_path, sheet, "utf-16-le", "\t"),
        "undefined in Windows-1252": resaved(tmp_path, sheet, "cp1252", errors="replace").replace(b"prompt 3", b"prompt \x813"),
    }[damage]
    path = tmp_path / "damaged.csv"
    path.write_bytes(data)
    with pytest.raises(StageError) as caught:
        sheet_ratings(path, key_path)
    assert str(caught.value).startswith(f"{path}: not readable as UTF-8, UTF-16 or Windows-1252")
    assert 'save it from your spreadsheet program as "CSV UTF-8' in str(caught.value) and "\n" not in str(caught.value)


def test_a_rerun_keeps_a_filled_sheet_and_the_page_votes(tmp_path):
    old, new = tmp_path / "eval", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    sheet, key = two_system_sheet(1)
    saved(old, sheet, key)
    assert carry_over_ratings(old, new, "run1") is None  # nothing filled in: nothing to keep
    sheet[0][next(iter(CRITERIA))] = "A"
    saved(old, sheet, key)
    kept = carry_over_ratings(old, new, "run1")
    assert read_csv(kept / SHEET_NAME, SHEET_COLUMNS)[0]["brand_voice_winner"] == "A" and (kept / KEY_NAME).is_file()

    saved(old, *two_system_sheet(1))  # an unfilled sheet, but votes from the page
    VoteBook(old / VOTES_NAME, load_pairs(old), seed=0).cast("Amina", 1, "A", "")
    kept = carry_over_ratings(old, tmp_path / "newer", "run2")
    assert len(read_votes(kept / VOTES_NAME)[0]) == 1 and (kept / KEY_NAME).is_file()


# --------------------------------------------------------------------------- scores


def test_agreement_is_on_what_raters_meant_not_on_the_letters():
    """Two raters who always pick the same system agree fully, though each saw the sides in another order."""
    rng = np.random.default_rng(0)
    winners = rng.choice(["tuned", "base", "tie", "both_bad"], size=20)
    ratings = []
    for rater, flip in (("Amina", False), ("Bilal", True)):
        for item, winner in enumerate(winners, start=1):
            a, b = ("base", "tuned") if flip else ("tuned", "base")
            ratings.append(Rating(rater, item, "continue", "brand_voice_winner", a, b, {a: "A", b: "B"}.get(winner, winner)))
    ratings.append(Rating("Chand", 1, "continue", "brand_voice_winner", "tuned", "base", "A"))  # one shared pair: no agreement row
    _, section = judged(ratings)
    (row,) = section["agreement"]
    assert (
        row["raters"] == ["Amina", "Bilal"] and row["pairs"] == 20 and row["identical"] == 1.0 and row["cohen_kappa"] == pytest.approx(1.0)
    )
    flipped = [
        Rating(r.rater, r.item, r.task, r.criterion, r.a, r.b, {"A": "B", "B": "A"}.get(r.choice, r.choice)) if r.rater == "Bilal" else r
        for r in ratings
    ]  # Bilal now picks the other system every time
    row = judged(flipped)[1]["agreement"][0]
    assert row["identical"] == pytest.approx(np.isin(winners, ["tie", "both_bad"]).mean()) and row["cohen_kappa"] < 0.7


def test_win_rates_per_rater_and_the_interval_resamples_prompts():
    ratings = [Rating("Amina", i, "continue", "brand_voice_winner", "tuned", "base", "A") for i in range(1, 11)]
    ratings += [Rating("Bilal", i, "continue", "brand_voice_winner", "base", "tuned", "A") for i in range(1, 11)]
    (everyone,), section = judged(ratings)
    assert everyone["win_rate"] == 0.5 and everyone["prompts"] == 10
    # every prompt has one win each way, so resampling prompts cannot move the rate: a per-judgment bootstrap would
    assert everyone["ci"] == [0.5, 0.5]
    assert judged(ratings, rater="Amina")[0][0]["win_rate"] == 1.0 and judged(ratings, rater="Bilal")[0][0]["win_rate"] == 0.0
    assert [t["title"] for t in summary_tables(section)] == ["All raters", "Per rater", "Agreement between raters"]


def test_a_third_system_is_scored_pair_by_pair():
    ratings = [
        Rating("Amina", i, "write", "brand_voice_winner", *pair, "A")
        for i, pair in enumerate([("prompted", "base"), ("tuned", "prompted"), ("base", "tuned")], start=1)
    ]
    rows, _ = judged(ratings, task="write")
    assert {tuple(r["systems"]): r["win_rate"] for r in rows} == {
        ("tuned", "prompted"): 1.0,
        ("tuned", "base"): 0.0,
        ("prompted", "base"): 1.0,
    }


# --------------------------------------------------------------------------- the votes file


@pytest.fixture
def book(tmp_path):
    saved(tmp_path, *two_system_sheet(10, requests=5))
    return VoteBook(tmp_path / VOTES_NAME, load_pairs(tmp_path), seed=0)


def test_each_rater_gets_every_pair_once_in_their_own_order_with_the_key_kept_back(book):
    orders = {name: book.order(name) for name in ("Amina", "Bilal")}
    for shown in orders.values():
        assert sorted(s.pair.item for s in shown) == list(range(1, 16))
    assert [s.pair.item for s in orders["Amina"]] != [s.pair.item for s in orders["Bilal"]]
    assert [s.swapped for s in orders["Amina"]] != [s.swapped for s in orders["Bilal"]]
    assert [s.pair.item for s in book.order("  amina ")] == [s.pair.item for s in orders["Amina"]]  # one rater, whatever the spelling
    payload = book.progress("Amina")["next"]
    assert set(payload) == {"pair", "task", "prompt", "a", "b", "position"}  # texts only: no system names
    shown = orders["Amina"][0]
    assert (payload["a"], payload["b"]) == (shown.pair.texts[::-1] if shown.swapped else shown.pair.texts)


def test_a_vote_is_written_once_and_unblinded_with_the_sides_the_rater_saw(book):
    first = book.progress("Amina")["next"]
    assert book.cast("Amina", first["pair"], "A", "  sounds like us  ") is True
    assert book.cast("amina", first["pair"], "B", "") is False  # a double click, or the same vote sent twice
    (vote,), problems = read_votes(book.path)
    shown = book.order("Amina")[0]
    assert problems == [] and vote["a"] == shown.systems[0] and vote["comment"] == "sounds like us" and vote["position"] == 1
    winner = vote_ratings([vote])[0].outcome
    assert winner == ("tuned" if first["a"].startswith(("tuned", "T")) else "base")  # the text shown as A was that system's
    assert book.progress("Amina")["done"] == 1 and book.progress("Amina")["next"]["pair"] != first["pair"]
    again = VoteBook(book.path, list(book.pairs.values()), seed=0)  # a restarted server resumes where the rater stopped
    assert again.progress("Amina")["next"] == book.progress("Amina")["next"]


@pytest.mark.parametrize(
    "rater, pair, choice, comment, message",
    [
        ("", 1, "A", "", "type your name first"),
        ("Amina", 999, "A", "", "there is no pair 999"),
        ("Amina", True, "A", "", "there is no pair True"),
        ("Amina", 1, "C", "", "'C' is not a vote"),
        ("Amina", 1, "A", "x" * 1001, "longer than 1000 characters"),
    ],
)
def test_a_refused_vote_writes_nothing(book, rater, pair, choice, comment, message):
    with pytest.raises(VoteRefused, match=message):
        book.cast(rater, pair, choice, comment)
    assert not book.path.exists()


def test_raters_voting_at_once_never_overwrite_each_other(book):
    def rate(name):
        for shown in book.order(name):
            for _ in range(2):  # every vote sent twice
                book.cast(name, shown.pair.item, "tie", "")

    threads = [threading.Thread(target=rate, args=(name,)) for name in ("Amina", "Bilal", "Chand", "Dua")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    votes, problems = read_votes(book.path)
    assert problems == [] and len(votes) == 4 * 15
    assert {(v["rater"], v["pair"]) for v in votes} == {(n, i) for n in ("Amina", "Bilal", "Chand", "Dua") for i in range(1, 16)}


def test_a_damaged_votes_line_is_reported_with_its_number_and_the_rest_count(book):
    for shown in book.order("Amina")[:3]:
        book.cast("Amina", shown.pair.item, "A", "")
    lines = book.path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"rater": "Amina", "pair": 4')  # a torn line
    lines.insert(3, json.dumps({"rater": "Amina", "pair": 5, "choice": "maybe"}))
    book.path.write_text("\n".join(lines) + '\n{"rater": "Bil', encoding="utf-8")  # and a last line cut off mid-write
    votes, problems = read_votes(book.path)
    assert len(votes) == 3 and [p.split(": ", 1)[1][:7] for p in problems] == ["line 2 ", "line 4 ", "line 6 "]
    assert "is not valid JSON" in problems[0] and "skipped, the other votes count" in problems[0]
    resumed = VoteBook(book.path, list(book.pairs.values()), seed=0)
    assert len(resumed.problems) == 3 and resumed.progress("Amina")["done"] == 3
    resumed.cast("Bilal", 1, "B", "")  # the cut-off line stays a line of its own; the new vote is whole
    assert [v["rater"] for v in read_votes(book.path)[0]] == ["Amina"] * 3 + ["Bilal"]
