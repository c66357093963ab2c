"""Listing pages (brandtone.clean.listing): a web page made mostly of other documents' text is
recognised and reduced to its own lines, or dropped when no sentence of its own is left; a
post page, and a page that quotes one post, are not listing pages."""

from __future__ import annotations

import numpy as np

from brandtone.clean.listing import find_listing_pages
from brandtone.dedup import NearDuplicateRule, shingle_hashes

POSTS = [
    "Baarish aur pakoray: a Lahore love story\nIn Lahore, rain is not weather, it is an event. The sky goes dark over the canal and half the city asks the other half whether to fry pakoray.",
    "How to make the perfect doodh patti\nFive hundred millilitres of full-cream milk, two heaped spoons of loose patti, two crushed elaichi pods and three slow boils. No water, ever.",
    "Chacha Rafiq: at the pateela since 1989\nHe came to Lahore at seventeen to work at his uncle's stall in Anarkali, and by his own careful estimate has made ten million cups since.",
    "Shamim Apa's nankhatai\nSemolina, desi ghee and a pinch of cardamom, baked until the tops crack. She says the cracks are where the flavour lives, and nobody argues with her.",
]
INTRO = "For readers who would rather scroll than click: every story we have posted, one after the other, with a second cup of chai."
OTHER_PAGE = (
    "Catering for weddings and offices\nA live chai station with our chaiwalas, the pateela and the kulhars, "
    "from 100 guests. Menus and quotes by email within a working day."
)


def listing_of(texts: list[str], pages: list[int], min_covered: float = 0.5):
    return find_listing_pages({n: texts[n] for n in pages}, texts, [shingle_hashes(t) for t in texts], NearDuplicateRule(), min_covered)


def test_a_page_printing_the_posts_is_reduced_to_its_own_text():
    archive = "\n".join(["The whole blog on one page", INTRO, *POSTS, "Older posts"])
    texts = [*POSTS, OTHER_PAGE, archive]
    found = listing_of(texts, [0, 1, 2, 3, 4, 5])
    assert list(found) == [5]  # the post pages are not covered by the page that reprints them
    page = found[5]
    assert page.text == f"The whole blog on one page\n{INTRO}\nOlder posts"
    assert page.covered_by == [0, 1, 2, 3] and page.lines_removed == 8 and round(page.covered_share, 2) == 0.78
    assert listing_of(texts, [5], min_covered=0.8) == {}  # the share is configurable


def test_excerpts_and_an_embedded_feed_count_as_covered():
    captions = [
        "Rooftop after the rain: wet plants, clean air and the first Kashmiri chai of the evening at Model Town.",
        "Opening day at Model Town in pictures: ribbon cut by Chacha Rafiq with a chai in the other hand, 312 cups poured.",
    ]
    excerpts = [post.split("\n")[1][:90] + "…" for post in POSTS]  # a blog index's teasers: the posts' first words
    home = "\n".join(["Garma garam chai, har nukkar pe", INTRO, *excerpts, "Latest on Instagram", captions[0], captions[1][:70] + "…"])
    found = listing_of([*POSTS, *captions, home], [6])
    assert found[6].text == f"Garma garam chai, har nukkar pe\n{INTRO}\nLatest on Instagram"
    assert found[6].covered_by == [0, 1, 2, 3, 4, 5]


def test_a_page_quoting_one_post_is_not_a_listing_page():
    page = "\n".join(
        [
            "Why we fry when it rains",
            INTRO,
            OTHER_PAGE,
            POSTS[0].split("\n")[1],
            "The rest of this page is ours: the rain menu, the rain discount and the rain playlist, all of it written here.",
        ]
    )
    assert listing_of([*POSTS, page], [4]) == {}


def test_a_listing_page_with_no_sentence_of_its_own_is_dropped():
    archive = "\n".join(["All posts", *POSTS, "Page 1 of 3", "Older posts"])
    found = listing_of([*POSTS, archive], [4])
    assert found[4].text == "" and found[4].covered_by == [0, 1, 2, 3]


def test_a_heading_is_covered_only_with_its_words_in_order():
    """Nearly every 5-gram of "The whole Nukkar blog on one page" is in the blog index below, at
    other places: the heading is not the index's text, and stays."""
    heading = "The whole Nukkar blog on one page"
    index = "Chai ki baatein: the Nukkar blog\nOr read the whole blog on one page, or the whole story of 2016."
    inside = np.intersect1d(shingle_hashes(heading), shingle_hashes(index)).size / shingle_hashes(heading).size
    assert inside >= NearDuplicateRule().containment
    found = listing_of([*POSTS, index, "\n".join([heading, INTRO, *POSTS])], [5])
    assert found[5].text == f"{heading}\n{INTRO}" and found[5].covered_by == [0, 1, 2, 3]
