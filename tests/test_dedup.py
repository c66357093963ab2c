"""The one near-duplicate rule (brandtone.dedup) behind stages 2, 3 and 6: containment pairs
are one text wherever the shorter sits in the longer, short templates are not, and stage 3's
leakage gate and stage 6's leakage line count the same leaks on the same split."""

from __future__ import annotations

import itertools
import random

import numpy as np

from brandtone.dataset.split import group_documents, leakage, split_groups
from brandtone.dedup import (
    NearDuplicateRule,
    ShingleIndex,
    Sketch,
    duplicates_in,
    jaccard,
    near_duplicate_pairs,
    shingle_hashes,
    similar_pairs,
)

GREEN_TEA = (
    "Our new Kashmiri green tea is here: whole leaves from the valley, a pinch of cardamom and a slow "
    "brew, the latest in our range of green teas. #NukkarChai #GreenTea"
)
WITH_CALL_TO_ACTION = GREEN_TEA.replace(" #NukkarChai", "") + " Hurry up and shop NOW!! Limited stock at all branches."
JACCARD_ONLY = NearDuplicateRule(containment_min_distinctive=10_000)


def pairs_of(texts: list[str], rule: NearDuplicateRule = NearDuplicateRule()) -> list[tuple[int, int]]:
    return [(a, b) for a, b, _ in near_duplicate_pairs([Sketch.of(text) for text in texts], rule)]


def brand_feed(seed: int, posts: int = 80) -> list[str]:
    """Posts in a brand's habits: its name, hashtag sets and calls to action on many of them,
    each post's own content made of words of its own (as real posts' content is)."""
    rng = random.Random(seed)
    habits = ["at Nukkar Chai", "order now on WhatsApp", "see you at the nukkar", "all three branches", "Link in bio"]
    feed = []
    for _ in range(posts):
        words = ["".join(rng.choices("abcdefghijklmnoprstuvwyz", k=rng.randint(3, 8))) for _ in range(rng.randint(6, 14))]
        feed.append(" ".join(words).capitalize() + f" {rng.choice(habits)}! #NukkarChai")
    return feed


def test_a_post_plus_a_call_to_action_is_one_text_by_containment():
    a, b = shingle_hashes(GREEN_TEA), shingle_hashes(WITH_CALL_TO_ACTION)
    assert 0.6 < jaccard(a, b) < 0.8  # below the Jaccard threshold: Jaccard alone would split them
    assert NearDuplicateRule().similarity(a, b) == 1.0
    assert JACCARD_ONLY.similarity(a, b) is None
    assert pairs_of([GREEN_TEA, "Samosay and rain in Lahore, a love story in three acts", WITH_CALL_TO_ACTION]) == [(0, 2)]


def test_a_60_character_post_plus_a_call_to_action_is_one_text_in_a_feed():
    """What decides is the content the two share that the feed does not repeat: a 60-character
    post's own words, not its length (the rule before this one needed 80 characters)."""
    post = "Fresh elaichi rusk from Shamim Apa's oven, perfect for dunking"
    repost = post + " Hurry up and order now on WhatsApp!! #NukkarChai"
    assert len(post) < 80 and jaccard(shingle_hashes(post), shingle_hashes(repost)) < 0.8
    feed = brand_feed(1) + [post, repost]
    assert pairs_of(feed) == [(len(feed) - 2, len(feed) - 1)]


def test_short_templates_are_not_merged_by_containment():
    """ "Happy Eid! #Brand" has 5 5-grams in all: too little to be one with a longer post even as
    a pair on its own; a longer greeting used every Eid shares only frequent 5-grams."""
    rule = NearDuplicateRule()
    assert rule.similarity(shingle_hashes("Happy Eid! #Brand"), shingle_hashes("Happy Eid! Order now #Brand")) is None
    long = "Happy Eid! #NukkarChai Our three branches open at 2 pm on Eid day with sheer khurma, chai and samosay for the whole family."
    assert rule.similarity(shingle_hashes("Happy Eid! #NukkarChai"), shingle_hashes(long)) is None
    assert rule.similarity(shingle_hashes(long), shingle_hashes("Happy Eid! #NukkarChai Chand raat deals until 3 am!")) is None
    greeting = "Eid Mubarak from all of us! #NukkarChai"
    endings = [
        "Chand raat at the nukkar: mehndi stalls, bangles and karak chai until 3 am at Model Town.",
        "Sheer khurma on the house with every family platter, all three days.",
        "Closed on the first day, back on the second.",
        "Eidi in the form of free samosay for every kid in a new kurta.",
        "Billo has a new collar. She hates it.",
    ]
    texts = brand_feed(6) + [greeting] + [f"{greeting} {ending}" for ending in endings]
    assert similar_pairs(dict(enumerate(texts)), rule) == []
    assert rule.similarity(shingle_hashes(greeting), shingle_hashes(texts[-1])) == 1.0  # a pair on its own cannot tell


def test_a_template_that_opens_many_posts_is_not_one_with_them():
    """As long as the 60-character post above, but its 5-grams are in many of the feed's texts:
    nothing distinctive is shared, so the posts that open with it stay apart from it."""
    template = "Eid Mubarak from the whole Nukkar family to yours, with love"
    feed = brand_feed(2)
    openers = [f"{template}. {post}" for post in feed[:6]]
    texts = feed[6:] + [template] + openers
    assert all(
        NearDuplicateRule().similarity(shingle_hashes(template), shingle_hashes(text)) == 1.0 for text in openers[:1]
    )  # on its own: one
    assert pairs_of(texts) == []
    assert pairs_of(feed[6:] + [template] + openers[:2]) != []  # in 3 texts only, its 5-grams are not frequent


def test_a_post_in_the_middle_of_a_listing_page_is_found():
    """A 125-character post inside a 9,000-character news page: Jaccard 0.02, so no MinHash LSH
    proposes the pair, and it neither opens nor closes the page."""
    feed = brand_feed(3, 70)
    listing = "What's brewing at the nukkar\n" + "\n".join(feed[:70]) + "\nOlder posts"
    post = feed[35]
    others = brand_feed(4, 40)
    a, b = shingle_hashes(post), shingle_hashes(listing)
    assert jaccard(a, b) < 0.05
    texts = [listing, *others, post, "Samosay and rain in Lahore, a love story in three acts"]
    assert pairs_of(texts) == [(0, len(texts) - 2)]
    assert pairs_of(texts, JACCARD_ONLY) == []


def test_containment_candidates_miss_no_pair_that_meets_the_rule():
    """Every pair whose containment clause holds, found by brute force over all pairs, is a
    candidate: posts inside listing pages, reposts with calls to action, posts cut short."""
    rng = random.Random(5)
    feed = brand_feed(5, 90)
    texts = list(feed)
    for start in range(0, 60, 12):
        texts.append("Latest posts\n" + "\n".join(feed[start : start + rng.randint(3, 12)]))
    texts += [post + " Hurry up and order now!!" for post in rng.sample(feed, 8)]
    texts += [post[: int(len(post) * 0.95)] for post in rng.sample(feed, 8)]
    rule = NearDuplicateRule()
    index = ShingleIndex([shingle_hashes(text) for text in texts])
    frequent_from = rule.frequent_texts
    expected = set()
    for a, b in itertools.combinations(range(len(texts)), 2):
        distinctive = [index.distinctive(a, frequent_from), index.distinctive(b, frequent_from)]
        if (
            rule.similarity(index.hash_sets[a], index.hash_sets[b], *distinctive) is not None
            and JACCARD_ONLY.similarity(index.hash_sets[a], index.hash_sets[b]) is None
        ):
            expected.add((a, b))
    assert len(expected) > 40
    assert expected <= index.containment_candidates(rule)
    assert expected <= set(pairs_of(texts))


def test_the_index_counts_texts_per_5_gram():
    texts = ["chai chai", "chai time", "samosa"]
    index = ShingleIndex([shingle_hashes(text) for text in texts])
    both = np.intersect1d(shingle_hashes(texts[0]), shingle_hashes(texts[1]))  # "chai "
    assert both.size == 1 and list(index.holding_of(both)) == [2]
    assert set(index.holders(both).tolist()) == {0, 1}
    nowhere = shingle_hashes("chai")  # a form under 5 characters is one hash of its own: in no text here
    assert list(index.holding_of(nowhere)) == [0] and index.holders(nowhere).size == 0
    assert (index.holding(2) == 1).all()


def corpus(seed: int = 3) -> list[dict]:
    """Distinct posts, some repeated with a call to action or "!!" (each a planted leak if split apart)."""
    rng = random.Random(seed)
    words = (
        "chai doodh patti karak samosa pakoray baarish lahore gulberg model town rooftop qawwali friday "
        "fresh slow creamy cardamom kulhar family deal menu branch night weekend students book club"
    ).split()
    docs = []
    for n in range(60):
        text = " ".join(rng.choices(words, k=rng.randint(20, 35))).capitalize() + f". Post {n}."
        docs.append({"id": f"p{n}", "text": text, "source": "facebook", "cluster": f"p{n}"})
        if n % 6 == 0:
            docs.append({"id": f"p{n}cta", "text": text + " Hurry up and order NOW!!", "source": "instagram", "cluster": f"p{n}cta"})
    return docs


def test_stage_3_gate_and_stage_6_line_count_the_same_leaks():
    docs = corpus()
    rule = NearDuplicateRule()
    _, pairs = group_documents(docs, rule)
    naive = {doc["id"]: ("test" if i % 4 == 0 else "train") for i, doc in enumerate(docs)}  # ignores groups: leaks
    check = leakage(docs, naive, pairs)
    train = [d for d in docs if naive[d["id"]] == "train"]
    test = [d for d in docs if naive[d["id"]] == "test"]
    leaks = duplicates_in([d["text"] for d in test], [d["text"] for d in train], rule)
    crossing_tests = {b if naive[b] == "test" else a for a, b, _ in pairs if naive[a] != naive[b]}
    assert check["near_duplicate_pairs_across_splits"] > 0  # the naive split does leak
    assert {test[i]["id"] for i, leak in enumerate(leaks) if leak} == crossing_tests
    # and the grouped split that stage 3 writes leaks nothing by either count
    group_of, pairs = group_documents(docs, rule)
    split_of = split_groups(docs, group_of, 0.25, seed=1, stratify_by_source=True)
    assert leakage(docs, split_of, pairs)["near_duplicate_pairs_across_splits"] == 0
    train = [d["text"] for d in docs if split_of[d["id"]] == "train"]
    assert not any(duplicates_in([d["text"] for d in docs if split_of[d["id"]] == "test"], train, rule))


def test_stage_6_finds_exact_and_near_duplicates_only():
    train = [
        "Garma garam chai aur pakoray, baarish mein milte hain nukkar pe! #NukkarChai",
        "Our Model Town book club just finished its 50th book, come find out the next one on Sunday at 11 am",
        "Fresh samosay every evening at 5 pm at all three branches",
    ]
    test = [
        "garma garam chai aur pakoray, baarish mein  milte hain nukkar pe! #NukkarChai",  # exact: case and spacing
        "Our Model Town book club just finished its 50th book! Come find out the next one on Sunday, 11 am 📚 #Books",
        "Kashmiri chai is pink because of the baking soda and the long boil",  # unrelated
        "Fresh samosay every evening at 5 pm at all three branches. Hurry up and order NOW!!",  # contained
    ]
    leaks = duplicates_in(test, train, NearDuplicateRule())
    assert leaks[0] == {"corpus_index": 0, "kind": "exact", "similarity": 1.0}
    assert leaks[1]["kind"] == "near" and leaks[1]["corpus_index"] == 1 and leaks[1]["similarity"] >= 0.8
    assert leaks[2] is None
    assert leaks[3] == {"corpus_index": 2, "kind": "near", "similarity": 1.0}
