"""The demo brand end to end through stages 2 and 3, checked against the demo's own
ground truth (demo/planted.json): exact counts, every planted duplicate and piece of
personal data gone, every number that must stay still there, no text in both splits."""

from __future__ import annotations

import json

import pytest

from brandtone.dedup import exact_key, jaccard, shingle_hashes
from tests.helpers.files_layout import demo_files
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script

DEMO = REPO / "demo"
pytestmark = pytest.mark.slow  # both stages end to end as subprocesses (~25 s on 2 cores)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, demo_model_dir):
    root = tmp_path_factory.mktemp("demo")
    planted = demo_files(DEMO, root / "files")
    paths = [f"paths.files_dir={root / 'files'}", f"paths.cleaned_dir={root / 'cleaned_files'}", f"paths.dataset_dir={root / 'dataset'}"]
    for script in ("02_clean.py", "03_build_dataset.py"):
        result = run_script(script, "--config", "configs/demo.yaml", *paths)
        assert result.returncode == 0, f"{script}: {result.stderr[-2000:]}"
    docs = [json.loads(line) for line in (root / "cleaned_files" / "documents.jsonl").read_text().splitlines()]
    report = json.loads((root / "cleaned_files" / "report.json").read_text())
    return root, planted, {d["id"]: d for d in docs}, report, result.stdout


def ref(item: dict) -> str:
    return f"{item['file']}/{item['id']}"


def representative(docs: dict, item_id: str) -> dict:
    """The kept document standing for an item: itself, or the one listing it as a duplicate."""
    if item_id in docs:
        return docs[item_id]
    holders = [d for d in docs.values() if item_id in d["duplicates"]]
    assert len(holders) == 1, f"{item_id} is neither kept nor listed as a duplicate exactly once"
    return holders[0]


def test_counts_match_the_planted_ground_truth(demo_run):
    root, planted, docs, report = demo_run[:4]
    counts = planted["counts"]
    dropped = {reason: sum(row["by_source"].values()) for reason, row in report["dropped"].items()}
    assert dropped == {
        "error_item": counts["facebook"]["error_items"],
        "repeated_item": counts["instagram"]["pinned_extra_copies"],
        "collab_post": counts["instagram"]["collab_items"],
        "empty_text": counts["facebook"]["items_without_text"] + counts["instagram"]["empty_captions"],
        "exact_duplicate": counts["brand_items_with_text"] - counts["distinct_texts_exact"],
        "near_duplicate": counts["distinct_texts_exact"] - counts["distinct_texts_expected"],
    }
    social = [d for d in docs.values() if d["source"] != "web"]
    assert len(social) == counts["distinct_texts_expected"]
    assert len([d for d in docs.values() if d["source"] == "web"]) == len(planted["site"]["pages"])
    assert report["sources"]["facebook"]["in"] == counts["facebook"]["items"]
    assert report["sources"]["instagram"]["in"] == counts["instagram"]["items"]
    assert len(list((root / "cleaned_files").glob("*/*.txt"))) == len(docs)


def test_every_planted_duplicate_is_gone_and_clustered_with_its_original(demo_run):
    docs = demo_run[2]
    for pair in planted_pairs(demo_run[1]):
        a, b = pair
        assert (a in docs) != (b in docs), f"exactly one of {a}, {b} should be kept"
        assert representative(docs, a) is representative(docs, b)
    for near in demo_run[1]["noise"]["near_duplicates"]:  # the earlier original is the one kept
        assert ref(near["original"]) in docs and ref(near["variant"]) not in docs
    kept_keys = [exact_key(d["text"]) for d in docs.values()]
    assert len(kept_keys) == len(set(kept_keys))
    for pinned in demo_run[1]["noise"]["pinned_repeats"]:
        assert f"instagram/{pinned['id']}" in docs
    for collab in demo_run[1]["noise"]["collabs"]:
        assert f"instagram/{collab['id']}" not in docs and all(f"instagram/{collab['id']}" not in d["duplicates"] for d in docs.values())


def planted_pairs(planted: dict) -> list[tuple[str, str]]:
    noise = planted["noise"]
    pairs = [(f"facebook/{p['facebook']}", f"instagram/{p['instagram']}") for p in noise["cross_posted_duplicates"]]
    return pairs + [(ref(p["original"]), ref(p["variant"])) for p in noise["near_duplicates"]]


def test_personal_data_and_site_boilerplate_gone_everywhere_must_keep_values_stay(demo_run):
    root, planted, docs = demo_run[:3]
    outputs = [
        p for folder in ("cleaned_files", "dataset") for p in (root / folder).rglob("*") if p.suffix in (".jsonl", ".json", ".md", ".txt")
    ]
    everything = "\n".join(p.read_text(encoding="utf-8") for p in outputs)
    site_pii = {planted["site"]["boilerplate"][k] for k in ("footer_phone", "footer_mobile", "footer_email")} | set(
        planted["site"]["personal_data"]["values"]
    )
    for value in {pii["value"] for pii in planted["noise"]["pii"]} | site_pii:
        assert value not in everything, f"{value!r} survived"  # not even in the report
    texts = "\n".join(d["text"] for d in docs.values())
    for value in planted["site"]["boilerplate"].values():
        assert value not in texts, f"boilerplate {value!r} in a document"
    for pii in planted["noise"]["pii"]:
        assert pii["kind"] in representative(docs, ref(pii))["removed"]
    missing = [(ref(keep), keep["value"]) for keep in planted["must_keep"] if keep["value"] not in representative(docs, ref(keep))["text"]]
    assert not missing, f"{len(missing)} of {len(planted['must_keep'])} must-keep values lost, e.g. {missing[:5]}"
    assert "⟦phone⟧" in everything and "⟦email⟧" in everything  # the report shows where, never what


def test_boilerplate_on_a_minority_of_pages_goes_and_the_pages_stay(demo_run):
    root, planted, docs, report = demo_run[:4]
    site = planted["site"]
    for name, pages in site["boilerplate_pages"].items():
        value = site["boilerplate"]["offices_heading" if name == "offices" else name]
        assert len(pages) < len(site["pages"]) / 2  # not on half the pages: the site-wide rule alone misses it
        for page in pages:
            doc = docs["web/" + page.removesuffix(".html").replace("/", "__")]
            assert value not in doc["text"] and doc["removed"]["boilerplate"] >= 1
    catering = docs["web/catering"]["text"]
    assert "The Chai Station starts at Rs. 850 per head" in catering and "Catering desk" not in catering  # label went with its numbers
    assert "same-week bookings" in catering and "Menus and quotes by email" in catering
    shown = "\n".join(report["boilerplate_lines"])
    assert "View Post" in shown and "Our offices and kitchens" in shown


def test_the_listing_page_keeps_its_own_text_and_the_posts_stand_alone(demo_run):
    """blog/archive.html prints the three blog posts and two Instagram captions (one cut short):
    before, one post page was dropped as a near-duplicate of the archive and two stayed inside it
    (in train beside the archive in test). Now the archive keeps only its introduction."""
    root, planted, docs, report = demo_run[:4]
    listing = planted["site"]["listing_page"]
    archive = docs["web/" + listing["page"].removesuffix(".html").replace("/", "__")]
    assert listing["own_sentence"] in archive["text"] and len(archive["text"]) < 300
    assert archive["removed"]["listing_page_reduced"] >= 10
    for page in listing["holds_pages"]:
        post = docs["web/" + page.removesuffix(".html").replace("/", "__")]
        assert post["duplicates"] == [] and post["text"].split("\n")[1][:60] not in archive["text"]
    for held in listing["holds_instagram"]:
        assert f"instagram/{held['id']}" in docs
    assert "listing_page" not in report["dropped"]
    assert report["rules"]["listing_page_reduced"]["by_source"]["web"]["documents"] == 1


def test_dataset_loads_with_no_text_in_both_splits(demo_run):
    from datasets import load_from_disk

    root, planted, docs, report, stdout = demo_run
    dataset = load_from_disk(str(root / "dataset"))
    assert set(dataset) == {"train", "test"}
    assert dataset["train"].column_names == ["text", "source", "url", "date", "lang", "cluster", "messages"]
    train, test = dataset["train"], dataset["test"]
    assert len(train) + len(test) == len(docs) and 0.08 < len(test) / len(docs) < 0.12
    assert set(test["source"]) == {"web", "facebook", "instagram"}  # stratified by source
    assert not set(train["cluster"]) & set(test["cluster"])
    assert not {exact_key(t) for t in train["text"]} & {exact_key(t) for t in test["text"]}
    train_shingles = [shingle_hashes(t) for t in train["text"]]  # brute force, independent of the stage's LSH
    worst = max(jaccard(t, s) for t in map(shingle_hashes, test["text"]) for s in train_shingles)
    assert worst < 0.8, f"a test text is a near-duplicate of a train text (Jaccard {worst:.2f})"
    assert [json.loads(line)["text"] for line in (root / "dataset" / "test.jsonl").read_text().splitlines()] == test["text"]
    manifest = json.loads((root / "dataset" / "manifest.json").read_text())
    assert manifest["leakage_check"]["exact_texts_in_both_splits"] == 0
    assert manifest["leakage_check"]["near_duplicate_pairs_across_splits"] == 0
    assert manifest["counts"]["token_lengths"]["train"]["p50"] > 10
    assert "leakage: 0 exact texts and 0 near-duplicate pairs across splits" in stdout
