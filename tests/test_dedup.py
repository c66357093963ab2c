"""The one near-duplicate rule (brandtone.dedup) behind stages 2, 3 and 6: containment pairs
are one text, short templates are not, and stage 3's leakage gate and stage 6's leakage line
count the same leaks on the same split."""

from __future__ import annotations

import random

from brandtone.dataset.split import group_documents, leakage, split_groups
from brandtone.dedup import NearDuplicateIndex, NearDuplicateRule, Sketch, duplicates_in, jaccard, shingle_hashes, similar_pairs

GREEN_TEA = ("Our new Kashmiri green tea is here: whole leaves from the valley, a pinch of cardamom and a slow "
             "brew, the latest in our range of green teas. #NukkarChai #GreenTea")
WITH_CALL_TO_ACTION = GREEN_TEA.replace(" #NukkarChai", "") + " Hurry up and shop NOW!! Limited stock at all branches."


def test_a_post_plus_a_call_to_action_is_one_text_by_containment():
    a, b = shingle_hashes(GREEN_TEA), shingle_hashes(WITH_CALL_TO_ACTION)
    assert 0.6 < jaccard(a, b) < 0.8  # below the Jaccard threshold: Jaccard alone would split them
    rule = NearDuplicateRule()
    assert rule.similarity(a, b) == 1.0
    assert NearDuplicateRule(containment_min_chars=10_000).similarity(a, b) is None  # Jaccard only
    index = NearDuplicateIndex(rule)
    index.add("original", Sketch.of(GREEN_TEA))
    assert index.similar(Sketch.of(WITH_CALL_TO_ACTION)) == [("original", 1.0)]


def test_a_call_to_action_on_one_of_many_posts_that_open_alike_is_found():
    opening = "Chai Fact Friday with Chacha Rafiq, our head chaiwala: "
    facts = ["elaichi pods are crushed by hand, never powdered, so the oil stays in the seed until the boil",
             "a kulhar cools chai slower than glass, and the clay adds its own earthy smell to the first sip",
             "the third boil is where doodh patti turns from beige to the deep colour our regulars ask for",
             "ginger goes in early with the milk, while cardamom waits until the patti has had its first rise"]
    index = NearDuplicateIndex(NearDuplicateRule())
    for number, fact in enumerate(facts):
        index.add(number, Sketch.of(opening + fact + ". #ChaiFactFriday"))
    repost = opening + facts[2] + ". Hurry up and visit us at any branch TODAY!! #ChaiFactFriday"
    assert [key for key, _ in index.similar(Sketch.of(repost))] == [2]


def test_short_templates_are_not_merged_by_containment():
    templates = ["Happy Eid! #NukkarChai", "Eid Mubarak from all of us! #NukkarChai"]
    longer = [f"{templates[0]} Our three branches open at 2 pm on Eid day with sheer khurma, chai and samosay for the whole family.",
              f"{templates[1]} Chand raat at the nukkar: mehndi stalls, bangles and karak chai until 3 am at Model Town."]
    rule = NearDuplicateRule()
    for short, long in zip(templates, longer):
        assert rule.similarity(shingle_hashes(short), shingle_hashes(long)) is None
    assert similar_pairs(dict(enumerate(templates + longer)), rule) == []
    # the same template with a different ending stays apart too: what they share is short
    assert rule.similarity(shingle_hashes(longer[0]), shingle_hashes(templates[0] + " Chand raat deals until 3 am!")) is None


def corpus(seed: int = 3) -> list[dict]:
    """Distinct posts, some repeated with a call to action or "!!" (each a planted leak if split apart)."""
    rng = random.Random(seed)
    words = ("chai doodh patti karak samosa pakoray baarish lahore gulberg model town rooftop qawwali friday "
             "fresh slow creamy cardamom kulhar family deal menu branch night weekend students book club").split()
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
    ]
    leaks = duplicates_in(test, train, NearDuplicateRule())
    assert leaks[0] == {"corpus_index": 0, "kind": "exact", "similarity": 1.0}
    assert leaks[1]["kind"] == "near" and leaks[1]["corpus_index"] == 1 and leaks[1]["similarity"] >= 0.8
    assert leaks[2] is None
