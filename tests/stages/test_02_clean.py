"""02_clean.py and 03_build_dataset.py as a user runs them, on a small hand-made files/
folder: web boilerplate, fallback to the visible text, bad files, the report, the
grouped split, and the one-line errors for bad input."""

from __future__ import annotations

import json
import re

import pytest

from brandtone.config import ConfigError, load_config
from brandtone.dataset.split import group_documents, split_groups
from brandtone.dedup import NearDuplicateRule
from brandtone.errors import StageError
from tests.helpers.files_layout import facebook_item, instagram_item, write_items, write_manifest, write_pages
from tests.helpers.paths import REPO
from tests.helpers.scripts import run_script, stage_module

SHELL = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<header><nav><a href="/">Home</a> <a href="/menu.html">Menu</a> <a href="/contact.html">Contact</a></nav></header>
<main><article>{body}</article></main>
<footer><p>Nukkar Chai Co. · 14-C Main Market, Gulberg II, Lahore 54660, Pakistan</p>
<p>Call +92 42 3578 1234 · hello@nukkarchai.pk</p>
<div class="cookie-banner">We use cookies to keep your chai warm.</div></footer></body></html>"""

ABOUT = """<h1>Our story</h1><p>We started in 2016 as one chai cart on a corner of Main Market, Gulberg,
with a borrowed pateela and a man called Chacha Rafiq. Ten years later we have 3 branches and pour
more than 1,500 cups a day. Doodh patti is 250ml for Rs. 180.</p>"""
MENU = """<h1>The chai menu</h1><p>Every cup starts with loose patti and fresh milk. Karak chai is Rs. 200,
Kashmiri chai Rs. 280, slow-cooked for 90 minutes. The flask holds 1 litre and costs PKR 1,050.</p>"""
CONTACT = """<h1>Contact us</h1><p>Message us on WhatsApp at 0300-1234567 or write to orders@nukkarchai.pk,
we reply within one working day. Groups of 8 or more can book a table.</p>"""

POST = "Baarish aur pakoray! 🌧️ Pakora plate is 20% bigger at all 3 branches until the rain stops. #BaarishAurPakoray #NukkarChai"
COLLAB = "Best chai in Lahore, says our food trail! Visit them in Gulberg. #LahoreFoodTrail"


def make_files(root):
    files = root / "files"
    write_manifest(files)
    write_pages(
        files,
        {
            "about": SHELL.format(title="About", body=ABOUT),
            "menu": SHELL.format(title="Menu", body=MENU),
            "contact": SHELL.format(title="Contact", body=CONTACT),
            "empty": SHELL.format(title="Empty", body=""),  # nothing but nav and footer
            "broken": SHELL.format(title="Broken", body=MENU),
        },
    )
    (files / "web" / "menu.html").unlink()  # stage 1 saved only the visible text: fall back to it
    (files / "web" / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (files / "web" / "broken.txt").write_bytes(b"\x00\x01\x02")
    write_items(
        files,
        "facebook",
        [
            facebook_item("101", POST, time="2023-07-18T13:56:23.000Z"),
            facebook_item(
                "102",
                "Chai Fact Friday: ginger (adrak) is best added early, while the milk heats. Call 0321 7654321 for flasks. #ChaiFactFriday",
            ),
            {"url": "https://www.facebook.com/nukkarchai/posts/103", "error": "Post is not available."},
            facebook_item("104", ""),
        ],
    )
    write_items(
        files,
        "instagram",
        [
            instagram_item("201", POST + " #LahoreRain #ChaiTime", timestamp="2023-07-18T14:07:00.000Z"),  # near-duplicate
            instagram_item("202", POST, timestamp="2023-07-18T14:08:00.000Z"),  # exact duplicate
            instagram_item("203", COLLAB, owner="lahorefoodtrail"),
            instagram_item("204", "Chai ☕"),  # too short
        ],
    )
    (files / "instagram" / "run2.jsonl").write_bytes(b"\x00\x9f\x92binary")  # a corrupt download
    return files


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    root = tmp_path_factory.mktemp("stage2")
    files = make_files(root)
    result = run_script(
        "02_clean.py", "--config", "configs/demo.yaml", f"paths.files_dir={files}", f"paths.cleaned_dir={root / 'cleaned_files'}"
    )
    assert result.returncode == 0, result.stderr
    out = root / "cleaned_files"
    docs = {d["id"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    return root, out, docs, json.loads((out / "report.json").read_text())


def test_documents_kept_and_why_the_rest_went(cleaned):
    root, out, docs, report = cleaned
    assert sorted(docs) == ["facebook/101", "facebook/102", "web/about", "web/contact", "web/menu"]
    dropped = {reason: row["by_source"] for reason, row in report["dropped"].items()}
    assert dropped == {
        "unreadable_file": {"web": 1, "instagram": 1},
        "error_item": {"facebook": 1},
        "collab_post": {"instagram": 1},
        "empty_text": {"facebook": 1},
        "all_boilerplate": {"web": 1},
        "too_short": {"instagram": 1},
        "exact_duplicate": {"instagram": 1},
        "near_duplicate": {"instagram": 1},
    }
    assert report["sources"] == {"web": {"in": 5, "out": 3}, "facebook": {"in": 4, "out": 2}, "instagram": {"in": 5, "out": 0}}
    assert "run2.jsonl: binary file" in report["dropped"]["unreadable_file"]["examples"][1]["detail"]
    # the earliest post represents the cluster and lists its duplicates
    assert docs["facebook/101"]["duplicates"] == ["instagram/201", "instagram/202"]
    assert docs["facebook/101"]["cluster"] == "facebook/101"


def test_web_text_is_main_content_without_site_boilerplate(cleaned):
    root, out, docs, report = cleaned
    assert report["rules"]["fallback_visible_text"]["by_source"]["web"]["documents"] == 1  # menu: no .html
    menu = docs["web/menu"]["text"]
    assert menu.startswith("The chai menu\nEvery cup starts") and "Rs. 280" in menu and "PKR 1,050" in menu
    for doc in docs.values():
        for line in ("Home", "Menu", "Nukkar Chai Co. · 14-C Main Market", "cookies", "3578 1234", "hello@"):
            assert line not in doc["text"].splitlines() and "cookies" not in doc["text"]
    assert docs["web/menu"]["removed"]["boilerplate"] == 2  # nav bar and footer: one removal per run of lines
    assert (out / "web" / "menu.txt").read_text() == menu + "\n"


def test_personal_data_removed_and_never_shown_in_the_report(cleaned):
    root, out, docs, report = cleaned
    assert docs["web/contact"]["text"].endswith(
        "Message us on WhatsApp or write, we reply within one working day. Groups of 8 or more can book a table."
    )
    assert "Call for flasks" in docs["facebook/102"]["text"]
    assert docs["facebook/102"]["removed"] == {"phone": 1}
    everything = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    for value in ("0300-1234567", "0321 7654321", "orders@nukkarchai.pk", "+92 42 3578 1234", "hello@nukkarchai.pk"):
        assert value not in everything
    assert "⟦phone⟧" in json.dumps(report["rules"]["phone"]["examples"], ensure_ascii=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["documents_out"] == 5 and manifest["inputs"]["files"]["fingerprint"].startswith("sha256:")


def test_bad_input_gives_one_line_errors_and_keeps_old_output(cleaned, tmp_path, monkeypatch):
    root, out, docs, report = cleaned
    before = (out / "documents.jsonl").read_text()
    monkeypatch.chdir(REPO)
    write_manifest(tmp_path / "empty")
    stage = stage_module("02_clean.py")
    cases = [
        (
            [f"paths.files_dir={tmp_path / 'nowhere'}"],
            ConfigError,
            f"{tmp_path / 'nowhere' / 'manifest.json'} not found: run 01_scrape.py first",
        ),
        ([f"paths.files_dir={tmp_path / 'empty'}"], StageError, "has no web pages and no posts"),
        (["clean.min_chars=100000", "clean.max_chars=200000"], StageError, "no documents left after cleaning"),
    ]
    for overrides, kind, message in cases:
        with pytest.raises(kind, match=re.escape(message)) as error:
            stage.main(["--config", "configs/demo.yaml", f"paths.files_dir={root / 'files'}", f"paths.cleaned_dir={out}", *overrides])
        assert "\n" not in str(error.value)
        assert (out / "documents.jsonl").read_text() == before
    # config problems stop the script before any work, with exit code 2 and the key named
    result = run_script("02_clean.py", "--config", "configs/demo.yaml", f"paths.cleaned_dir={out}", "clean.near_duplicate_threshold=1.5")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "clean.near_duplicate_threshold: Input should be less than or equal to 0.99" in result.stderr
    with pytest.raises(ConfigError, match=re.escape("clean: max_chars (50) must be greater than min_chars (100)")):
        load_config(REPO / "configs" / "demo.yaml", ["clean.min_chars=100", "clean.max_chars=50"])


def test_stage3_needs_stage2_and_a_token_to_push(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    common = ["--config", "configs/demo.yaml", f"paths.dataset_dir={tmp_path / 'dataset'}"]
    with pytest.raises(ConfigError, match="run 02_clean.py first"):
        stage_module("03_build_dataset.py").main([*common, f"paths.cleaned_dir={tmp_path / 'none'}"])
    (tmp_path / "cleaned").mkdir()
    (tmp_path / "cleaned" / "manifest.json").write_text('{"stage": "clean"}')
    result = run_script(
        "03_build_dataset.py",
        *common,
        f"paths.cleaned_dir={tmp_path / 'cleaned'}",
        "dataset.push_to_hub=true",
        "dataset.hub_repo_id=me/brand-tone",
        env={"HF_TOKEN": ""},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "dataset.push_to_hub is true but HF_TOKEN is not set" in result.stderr
    assert not (tmp_path / "dataset").exists()


def _doc(doc_id, source, text, cluster=None):
    return {"id": doc_id, "source": source, "text": text, "cluster": cluster or doc_id}


def test_split_keeps_near_duplicate_clusters_together_and_is_seeded():
    docs = [_doc(f"facebook/{i}", "facebook", f"Post number {i} about chai number {i * 7919} in Gulberg, {i} times") for i in range(40)]
    docs += [_doc(f"web/{i}", "web", f"Web page {i}: our menu of the day has {i * 104729} samosay and chai") for i in range(10)]
    # two clusters stage 2 kept apart that are near-duplicates after all (e.g. below its MinHash estimate)
    docs.append(_doc("instagram/a", "instagram", POST))
    docs.append(_doc("instagram/b", "instagram", POST + " #More #Tags"))
    group_of, pairs = group_documents(docs, NearDuplicateRule(0.8))
    assert group_of["instagram/a"] == group_of["instagram/b"] == "instagram/a"
    assert [(a, b) for a, b, _ in pairs] == [("instagram/a", "instagram/b")]
    splits = [split_groups(docs, group_of, 0.2, seed, stratify_by_source=True) for seed in (1, 1, 2)]
    assert splits[0] == splits[1] != splits[2]
    for split_of in splits:
        assert split_of["instagram/a"] == split_of["instagram/b"]
        test = [d for d in docs if split_of[d["id"]] == "test"]
        assert sum(d["source"] == "facebook" for d in test) == 8 and sum(d["source"] == "web" for d in test) == 2


STORIES = [
    (
        "<h1>Baarish aur pakoray: a Lahore love story</h1>\n<p>In Lahore, rain is not weather, it is an event. The sky goes "
        "dark over the canal and half the city asks the other half whether to fry pakoray.</p>\n<p>At the nukkar nobody "
        "asks: when it rains, the pakoray come out at all three branches, as they have since the first night of the cart.</p>\n"
    ),
    (
        "<h1>How to make the perfect doodh patti</h1>\n<p>Five hundred millilitres of full-cream milk, two heaped spoons of "
        "loose patti, two crushed elaichi pods and three slow boils. No water, ever.</p>\n<p>Between boils, lift the chai "
        "with a ladle and pour it back from a height: that is what makes it smooth.</p>\n"
    ),
    (
        "<h1>Chacha Rafiq: at the pateela since 1989</h1>\n<p>He came to Lahore at seventeen to work at his uncle's stall in "
        "Anarkali, and by his own careful estimate has made ten million cups since.</p>\n<p>Tea bags, powdered milk and "
        "anything with vanilla in its name he will never make, however nicely you ask.</p>\n"
    ),
]


def test_listing_pages_are_reduced_or_dropped_and_counted(tmp_path):
    """A blog archive printing every post under an introduction keeps the introduction; a
    "latest posts" page with nothing of its own goes as `listing_page`; the post pages stay whole
    (before, the embedded posts were no near-duplicates of anything, and leaked across splits)."""
    files = tmp_path / "files"
    write_manifest(files)
    view_post = '<p><span role="link" data-href="/blog/{}.html">View Post</span></p>'
    posts = {f"blog__{n}": SHELL.format(title=f"Story {n}", body=story + view_post.format((n + 1) % 3)) for n, story in enumerate(STORIES)}
    intro = "<h1>The whole blog on one page</h1>\n<p>For readers who would rather scroll than click: every story we have posted, one after the other.</p>\n"
    write_pages(
        files,
        {
            **posts,
            "about": SHELL.format(title="About", body=ABOUT),
            "menu": SHELL.format(title="Menu", body=MENU),
            "blog__archive": SHELL.format(title="Archive", body=intro + "".join(STORIES)),
            "blog__latest": SHELL.format(title="Latest", body="<h1>Latest posts</h1>" + "".join(STORIES[:2]) + "<p>Page 1 of 3</p>"),
        },
    )
    # blocks of 3 lines on 4 of the 7 pages are boilerplate: a story printed on 3 pages is not
    result = run_script(
        "02_clean.py",
        "--config",
        "configs/demo.yaml",
        f"paths.files_dir={files}",
        f"paths.cleaned_dir={tmp_path / 'out'}",
        "clean.boilerplate_block_min_page_share=0.5",
    )
    assert result.returncode == 0, result.stderr
    docs = {d["id"]: d for d in map(json.loads, (tmp_path / "out" / "documents.jsonl").read_text().splitlines())}
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert sorted(docs) == ["web/about", "web/blog__0", "web/blog__1", "web/blog__2", "web/blog__archive", "web/menu"]
    assert docs["web/blog__archive"]["text"] == (
        "The whole blog on one page\nFor readers who would rather scroll than click: every story we have posted, one after the other."
    )
    assert docs["web/blog__archive"]["removed"]["listing_page_reduced"] == 9
    assert report["rules"]["listing_page_reduced"]["by_source"] == {"web": {"documents": 1, "removals": 9}}
    assert report["dropped"]["listing_page"]["by_source"] == {"web": 1}
    assert "in 2 smaller documents" in report["dropped"]["listing_page"]["examples"][0]["detail"]
    assert all(docs[f"web/blog__{n}"]["duplicates"] == [] and "View Post" not in docs[f"web/blog__{n}"]["text"] for n in range(3))
    assert "listing_page" in (tmp_path / "out" / "report.md").read_text()
