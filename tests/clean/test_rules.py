"""Each cleaning rule on small hand-written cases, including the ones the original
workflow got wrong: years, prices and counts kept; local and international phone
numbers and an email inside text removed; a repost with two extra hashtags found.
Personal data in the forms brand pages print (ranges, alternatives, UAN numbers,
written-out emails, labels) and the site boilerplate that is on a minority of
pages (repeated blocks and link texts, legal lines, form labels)."""

from __future__ import annotations

import pytest

from brandtone.clean.boilerplate import PageLines, find_boilerplate, html_texts, points_to_one_pattern, remove_boilerplate
from brandtone.clean.personal_data import mask_personal_data, remove_personal_data
from brandtone.clean.rules import (
    TextRules,
    clean_text,
    collapse_whitespace,
    fix_unicode,
    remove_urls,
    script_tag,
    strip_mentions,
    strip_trailing_hashtags,
)
from brandtone.clean.sources import Dropped, Post, brand_handles, normalise_date, read_posts
from brandtone.dedup import NearDuplicateRule, Sketch, jaccard, near_duplicate_pairs, shingle_hashes
from tests.helpers.files_layout import facebook_item, instagram_item, write_items

# --------------------------------------------------------------------------- personal data

KEEP = [
    "Since 2016, and still going in 2024",
    "Doodh patti Rs. 180, flask Rs. 1,250, family deal PKR 2,600",
    "20% off, 100% desi",
    "6,812 cups, 40,000 kulhars and 1,500 cups a day",
    "500ml, 250ml, 250g, 1 kg, 1 litre",
    "Party on 3 August 2026 at 8 pm",
    "Dates: 12/03/2024, 2024-03-12, 2016–2026",
    "Open 7:00 am to 1:00 am, slow-cooked for 90 minutes",
    "Lahore 54660, Pakistan",
    "tracking number 3520212345671",  # 13 digits without a CNIC label: not assumed to be an ID
]


@pytest.mark.parametrize("text", KEEP)
def test_numbers_that_are_not_personal_data_survive(text):
    cleaned = clean_text(text, TextRules())
    assert cleaned.text == text
    assert not cleaned.found


PHONES = [
    "0300-1234567",
    "0321 7654321",
    "042-35781234",
    "+92 300 1234567",
    "+923001112233",
    "+92 42 3578 1234",
    "0092 300 1234567",
    "03001234567",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_in_local_and_international_forms_are_removed(phone):
    text = f"Order on WhatsApp at {phone} before 6 pm: Rs. 1,250 per flask (2024 prices)."
    removed, found = remove_personal_data(text, "PK")
    assert [f.value for f in found["phone"]] == [phone]
    assert removed == "Order on WhatsApp before 6 pm: Rs. 1,250 per flask (2024 prices)."  # no dangling "at"
    assert remove_personal_data(text, "PK", "<{kind}>")[0] == "Order on WhatsApp at <phone> before 6 pm: Rs. 1,250 per flask (2024 prices)."


def test_phone_region_comes_from_config():
    text = "Ring 020 7946 0018 today"
    assert remove_personal_data(text, "PK")[0] == text  # not a valid Pakistani number
    assert remove_personal_data(text, "GB")[0] == "Ring today"


def test_email_inside_text_is_removed_and_placeholder_names_the_kind():
    text = "Mail orders@nukkarchai.pk for the 2024 menu, or ayesha.k@example.com."
    assert remove_personal_data(text, "PK")[0] == "Mail for the 2024 menu."  # no dangling ", or"
    cleaned = clean_text(text, TextRules(pii_placeholder="[{kind}]"))
    assert cleaned.text == "Mail [email] for the 2024 menu, or [email]."
    assert len(cleaned.found["email"]) == 2


def test_cnic_is_removed_with_dashes_or_after_a_label():
    removed, found = remove_personal_data("CNIC 35202-1234567-1 and CNIC no: 3520212345671, ticket 12345-123", "PK")
    assert [f.value for f in found["national_id"]] == ["35202-1234567-1", "3520212345671"]
    assert removed == "ticket 12345-123"
    # the CNIC rule runs before the phone rule, so no fragment of it is left behind
    assert clean_text("ID 35202-1234567-1 please", TextRules()).text == "ID please"


# The forms brand pages print (made-up digits), what is removed, and what the sentence becomes.
PRINTED_FORMS = [
    ("Phone: 042-3581234-40", ["042-3581234-40"], ""),  # a range of consecutive lines
    ("Karachi office +92 21 3581234-9, open 9 to 5", ["+92 21 3581234-9"], "Karachi office, open 9 to 5"),
    ("Call 0300-1234567/8 for orders", ["0300-1234567/8"], "Call for orders"),  # alternatives: no "/8" left
    ("UAN: 111-123-456\nOpen daily", ["111-123-456"], "Open daily"),
    ("Visit us. Helpline 021-111-123-456. Open daily", ["021-111-123-456"], "Visit us. Open daily"),
    ("Tel: 042-35781234, 35781235", ["042-35781234", "35781235"], ""),  # second line, same area code
    ("Tel: (042) 3581234", ["(042) 3581234"], ""),  # not valid for libphonenumber, but labelled
    ("For orders, call us at 0300-1234567 or 0321-7654321.", ["0300-1234567", "0321-7654321"], "For orders."),
    ("Call us at 0300-1234567 or 0321-7654321 for catering.", ["0300-1234567", "0321-7654321"], "Call us for catering."),
    ("Call or WhatsApp 0300-1234567, 9 am to 5 pm", ["0300-1234567"], "9 am to 5 pm"),
    ("Hours: 9 to 5, call 0300-1234567, open Sunday", ["0300-1234567"], "Hours: 9 to 5, open Sunday"),
    (
        "Catering desk: 042-3581234-40 (UAN: 111-685-527), or WhatsApp 0321-7654321/2 for same-week bookings.",
        ["042-3581234-40", "111-685-527", "0321-7654321/2"],
        "for same-week bookings.",
    ),
    ("Menus by email from events [at] nukkarchai [dot] pk.", ["events [at] nukkarchai [dot] pk"], "Menus by email."),
    ("Our landline +92 42 3578 1234 is answered from 9 am", ["+92 42 3578 1234"], "Our landline is answered from 9 am"),
    ("Reach us (0300-1234567) anytime", ["0300-1234567"], "Reach us anytime"),
    ("📞 0300-1234567 | ✉️ hello@nukkarchai.pk", ["0300-1234567", "hello@nukkarchai.pk"], ""),
    (
        "Call +92 42 3578 1234 · WhatsApp 0300-1234567 · hello@nukkarchai.pk",
        ["+92 42 3578 1234", "0300-1234567", "hello@nukkarchai.pk"],
        "",
    ),
    ("۰۳۰۰-۱۲۳۴۵۶۷ par call karein", ["۰۳۰۰-۱۲۳۴۵۶۷"], "par call karein"),  # Urdu digits
    ("Mail sales [at] nukkarchai [dot] com today", ["sales [at] nukkarchai [dot] com"], "Mail today"),
    ("CVs to careers(at)nukkarchai(dot)pk please", ["careers(at)nukkarchai(dot)pk"], "CVs please"),
    ("write to sales at nukkarchai dot com", ["sales at nukkarchai dot com"], "write"),
    ("Orders: zoya{at}nukkarchai.pk", ["zoya{at}nukkarchai.pk"], ""),  # a short heading before a colon goes too
    ("Orders: zoya@nukkarchai dot pk", ["zoya@nukkarchai dot pk"], ""),
]


@pytest.mark.parametrize("text, values, expected", PRINTED_FORMS)
def test_personal_data_in_the_forms_brand_pages_print(text, values, expected):
    removed, found = remove_personal_data(text, "PK")
    assert sorted(f.value for spans in found.values() for f in spans) == sorted(values)
    assert collapse_whitespace(removed) == expected  # as clean_text leaves it
    masked = mask_personal_data(text, "PK")  # the report's form: every value replaced whole, labels kept
    assert not any(value in masked for value in values) and "/8" not in masked and "-40" not in masked


# Near misses of those forms that are not personal data and stay as they are.
KEEP_NEAR_MISSES = [
    "Call us at 7 pm, or find us at nukkarchai.pk",  # a website, not a mailbox
    "Season 2016-17 at Rs 1250 2016-17",
    "Meet at the nukkar: 3 branches, 12/03/2024-25 season",
    "Phone cases Rs. 1,250 and 2,500",
    "Tea at Model Town dot your calendar",
    "Our 111 cups challenge, 2024",
]


@pytest.mark.parametrize("text", KEEP_NEAR_MISSES + KEEP)
def test_near_misses_of_personal_data_stay(text):
    assert remove_personal_data(text, "PK") == (text, {})


def test_urls_removed_but_sentence_punctuation_kept():
    result = remove_urls("Menu at https://nukkarchai.pk/menu?x=1. Or www.nukkarchai.pk!")
    assert result.text == "Menu at. Or!"
    assert [f.value for f in result.found] == ["https://nukkarchai.pk/menu?x=1", "www.nukkarchai.pk"]
    assert clean_text("See https://nukkarchai.pk today", TextRules(remove_urls=False)).text == "See https://nukkarchai.pk today"
    assert clean_text("Chat: wa.me/923001234567 now", TextRules()).text == "Chat: now"  # a WhatsApp link: no "wa.me/" left


def test_mask_personal_data_for_reports():
    masked = mask_personal_data("Call 0300-1234567/8 or mail a.b@c.pk, CNIC 35202-1234567-1, in 2024", "PK")
    assert masked == "Call ⟦phone⟧ or mail ⟦email⟧, CNIC ⟦national_id⟧, in 2024"


# --------------------------------------------------------------------------- social-media switches


def test_trailing_hashtag_block_and_mentions_only_when_switched_on():
    post = "Chai time with @chaiwithmehreen! Love #NukkarChai vibes ☕\n#ChaiTime #LahoreEats"
    assert clean_text(post, TextRules()).text == post
    trimmed = clean_text(post, TextRules(strip_trailing_hashtags=True, strip_mentions=True))
    assert trimmed.text == "Chai time with! Love #NukkarChai vibes ☕"
    assert strip_trailing_hashtags("#OnlyHashtags #Here").text == "#OnlyHashtags #Here"  # nothing else: kept
    assert strip_mentions("mail x@y.pk").found == []  # an email is not a mention


# --------------------------------------------------------------------------- Unicode and whitespace


def test_unicode_repair_keeps_numbers_emoji_and_joiners():
    assert fix_unicode("cafÃ© don’t") == "café don't"  # mojibake, curly quotes
    assert fix_unicode("\ufedb\ufe98\ufe8e\ufe8f") == "كتاب"  # Arabic presentation forms -> letters
    assert fix_unicode("\ufb8e\ufbfc") == "\u06a9\u06cc"  # Urdu keheh and Farsi yeh stay Urdu letters
    assert fix_unicode("𝐒𝐀𝐋𝐄 𝟐𝟎%") == "SALE 20%"  # "bold" Instagram text
    for unchanged in ["1½ cups", "250 m²", "ﷺ", "❤️ ❤", "👨\u200d👩\u200d👧", "👍🏽", "1️⃣", "می\u200cخواهم"]:
        assert fix_unicode(unchanged) == unchanged
    assert fix_unicode("chai\u200bwala") == "chaiwala"
    # plain ASCII skips ftfy, except where ftfy has work in it: entities, control characters, \r
    assert fix_unicode("Tea &amp; samosa\r\nOpen \x1b[1mnow") == "Tea & samosa\nOpen now"
    assert fix_unicode('Plain -- ASCII\'s "quotes" ... `ok`\tend') == 'Plain -- ASCII\'s "quotes" ... `ok`\tend'


def test_collapse_whitespace():
    assert collapse_whitespace("  a \t b  \r\n\n\n\n c \u00a0 d \n e ") == "a b\n\nc d\ne"


# --------------------------------------------------------------------------- web boilerplate

NAV = ["Nukkar Chai Co.", "Home", "Menu", "Contact"]
FOOTER = ["Call +92 42 3578 1234 · hello@nukkarchai.pk", "We use cookies to keep your chai warm. Accept"]


def boilerplate_of(pages, share=0.5, block_share=0.2, block_lines=3, links=()):
    return find_boilerplate([PageLines([lines], {link: set() for link in links}) for lines in pages], share, block_share, block_lines)


def test_lines_shared_by_enough_pages_are_boilerplate():
    pages = [
        NAV + ["Our chai is slow chai."] + FOOTER,
        NAV + ["The chai menu", "Doodh patti Rs. 180"] + FOOTER,
        NAV + ["Contact us", "Doodh patti Rs. 180"] + FOOTER,
        ["  home  ", "Careers at the nukkar"] + FOOTER,  # case and spacing do not hide a line
    ]
    found = boilerplate_of(pages, 0.5)
    assert set(found.lines.values()) == set(NAV) | set(FOOTER) | {"Doodh patti Rs. 180"}  # 2 of 4 pages = 0.5
    assert set(boilerplate_of(pages, 0.75).lines.values()) == set(NAV) | set(FOOTER)
    assert boilerplate_of(pages[:1], 0.5).lines == {}  # one page: nothing to compare with
    result = remove_boilerplate("\n".join(pages[0]), boilerplate_of(pages, 0.75))
    assert result.text == "Our chai is slow chai."
    assert [f.value for f in result.found] == [" / ".join(NAV), " / ".join(FOOTER)]  # one finding per run of lines


def test_a_boilerplate_line_split_over_several_lines_is_boilerplate():
    # the browser's text has the nav on one line, the extractor splits it up
    boilerplate = boilerplate_of(
        [["Home Menu Contact", "Keep your chai warm.", "Our chai"], ["Home Menu Contact", "Keep your chai warm.", "The menu"]], 0.5
    )
    extracted = "Home\nMenu\nContact\nThe chai menu\nChai\nContact us\nMenu"
    result = remove_boilerplate(extracted, boilerplate)
    assert result.text == "The chai menu\nChai\nContact us\nMenu"  # a lone word of a boilerplate line stays
    assert [f.value for f in result.found] == ["Home / Menu / Contact"]


OFFICES = [
    "Our offices and kitchens",
    "Head office: 14-C Main Market, Gulberg II",
    "Central kitchen: 7 Kot Lakhpat Road",
    "Tea store: Plot 12, Sundar Road, Raiwind",
]


def test_a_block_repeated_on_a_minority_of_pages_is_boilerplate_a_single_common_line_is_not():
    pages = [[f"Page {n} has its own text about chai number {n}."] for n in range(9)]
    for n in (0, 3, 6):  # the offices block on a third of the pages, after different text
        pages[n] += OFFICES
    for n in (1,):  # one line of it alone on one more page: a single common line, kept
        pages[n] += [OFFICES[0], "Opening soon in Johar Town"]
    boilerplate = boilerplate_of(pages, 0.5, block_share=0.3)
    assert boilerplate.lines == {}  # none of it is on half the pages
    result = remove_boilerplate("\n".join(pages[3]), boilerplate)
    assert result.text == pages[3][0] and result.found[0].value == " / ".join(OFFICES)
    assert remove_boilerplate("\n".join(pages[1]), boilerplate).text == "\n".join(pages[1])
    assert boilerplate_of(pages, 0.5, block_share=0.4).blocks == set()  # 3 of 9 pages is under 0.4
    assert boilerplate_of(pages, 0.5, block_share=0.3, block_lines=5).blocks == set()  # the block has 4 lines


def test_repeated_link_texts_legal_lines_and_form_labels_go():
    posts = [["Chai story number %d, told by Chacha Rafiq." % n, "View Post", "View Post"] for n in range(3)]
    pages = posts + [["About us"], ["Menu"], ["The team said view post twice"]]
    boilerplate = find_boilerplate([PageLines([lines], {"view post": set()} if lines in posts else {}) for lines in pages], 0.5, 0.3, 3)
    assert boilerplate.link_texts == {"view post"}
    page = "\n".join(posts[0] + ["© 2022 Nukkar Chai Co. All Rights Reserved.", "Name*", "Email *", "Message*", "Send"])
    result = remove_boilerplate(page, boilerplate, form_texts={"send"})
    assert result.text == posts[0][0]
    kept = "Our chai is copyrighted by nobody: all rights to the recipe belong to Chacha Rafiq\nRs. 180*\nSend us a note"
    assert remove_boilerplate(kept, boilerplate, form_texts={"send"}).text == kept


def post_page(number: int, links: dict[str, set[str]]) -> PageLines:
    return PageLines([[f"Chai story number {number}, told by Chacha Rafiq at the Gulberg counter.", *links]], links)


def test_link_texts_to_different_urls_of_one_pattern_go_at_any_share():
    """ "View Post" under 2 of 20 pages (10%, under the 20% block share), each time to another
    post page: navigation. A link text on one page only, or to one URL, or to URLs of no
    common pattern, stays."""
    pages = [post_page(n, {}) for n in range(16)] + [
        post_page(
            16,
            {
                "view post": {"http://brand.pk/blog/chai-story-3.html"},
                "read how chacha rafiq makes the perfect chai": {"http://brand.pk/blog/chai.html"},
            },
        ),
        post_page(17, {"view post": {"http://brand.pk/blog/chai-story-9.html"}, "our menu": {"http://brand.pk/menu.html"}}),
        post_page(18, {"our menu": {"http://brand.pk/menu.html"}, "see the deals": {"http://brand.pk/menu.html"}}),
        post_page(19, {"see the deals": {"http://brand.pk/blog/deals.html"}}),
    ]
    boilerplate = find_boilerplate(pages, 0.5, 0.2, 3)
    assert boilerplate.link_texts == {"view post"}
    story, view_post, one_off = pages[16].texts[0]
    assert remove_boilerplate("\n".join([story, view_post, one_off]), boilerplate).text == f"{story}\n{one_off}"  # the one-off link stays
    same_url = pages[:16] + [
        post_page(16, {"view post": {"http://brand.pk/blog/a.html"}}),
        post_page(17, {"view post": {"http://brand.pk/blog/a.html"}}),
    ]
    assert find_boilerplate(same_url, 0.5, 0.2, 3).link_texts == set()  # one URL: not one pattern of many


def test_link_targets_are_read_from_the_page():
    html = """<p><a href="chai-story-3.html?utm_source=x#top">View  Post</a></p>
<p><span role="link" data-href="../blog/chai-story-4.html">View post</span> <a href="/">Home</a> <a>No target</a></p>"""
    links, _ = html_texts(html, "http://brand.pk/blog/index.html")
    assert links == {
        "view post": {"http://brand.pk/blog/chai-story-3.html", "http://brand.pk/blog/chai-story-4.html"},
        "home": {"http://brand.pk/"},
        "no target": set(),
    }
    assert points_to_one_pattern(links["view post"]) and not points_to_one_pattern(
        {"http://brand.pk/blog/a.html", "http://brand.pk/b.html"}
    )
    assert points_to_one_pattern({"https://www.instagram.com/p/C1x/", "https://www.instagram.com/p/C2y/"})


# --------------------------------------------------------------------------- near-duplicates

POST = "Baarish aur pakoray! 🌧️ Pakora plate is 20% bigger at all 3 branches until the rain stops. #BaarishAurPakoray #NukkarChai"


def test_repost_with_two_extra_hashtags_is_a_near_duplicate():
    repost = POST + " #LahoreRain #ChaiTime"
    shouting = POST.replace("!", "!!!", 1) + "\n\nLink in bio"
    other = "Kashmiri chai season has started 💗 Pink, creamy, topped with pistachio. Rs. 280 at Model Town. #KashmiriChai #NukkarChai"
    assert jaccard(shingle_hashes(POST), shingle_hashes(repost)) == 1.0
    assert 0.85 <= jaccard(shingle_hashes(POST), shingle_hashes(shouting)) < 1.0
    assert jaccard(shingle_hashes(POST), shingle_hashes(other)) < 0.2
    sketches = [Sketch.of(text) for text in (POST, repost, shouting, other)]
    assert [(a, b) for a, b, _ in near_duplicate_pairs(sketches, NearDuplicateRule(0.8))] == [(0, 1), (0, 2), (1, 2)]
    assert near_duplicate_pairs(sketches, NearDuplicateRule(0.8))[0][2] == 1.0
    strict = NearDuplicateRule(0.95, containment_min_distinctive=10_000)  # Jaccard only
    assert [(a, b) for a, b, _ in near_duplicate_pairs(sketches, strict)] == [(0, 1)]


def test_word_trigrams_would_have_missed_it():
    """Why 5-grams of the reduced form: the same pair over word trigrams of the raw text (NOTES.md)."""

    def trigrams(text):
        words = text.split()
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    repost = POST.replace("!", "!!", 1) + " #LahoreRain #ChaiTime"
    assert len(trigrams(POST) & trigrams(repost)) / len(trigrams(POST) | trigrams(repost)) < 0.8
    assert jaccard(shingle_hashes(POST), shingle_hashes(repost)) == 1.0


# --------------------------------------------------------------------------- script tags


@pytest.mark.parametrize(
    "text, tag",
    [
        ("A winter evening at Gulberg: fog outside, windows steamed up.", "latin"),
        ("The results of the meeting are now published on the website of the Bank.", "latin"),  # "the" is English
        ("Garma garam chai aur pakoray! Baarish mein nukkar pe milte hain, yaar.", "roman_urdu"),
        ("گرما گرم چائے اور پکوڑے، نکڑ پہ ملتے ہیں", "arabic"),
        ("Chai time! گرما گرم چائے اور پکوڑے at Gulberg tonight", "mixed"),
        ("☕☕☕ 🎉", "other"),
    ],
)
def test_script_tag(text, tag):
    assert script_tag(text) == tag


# --------------------------------------------------------------------------- social items


def test_social_items_collabs_errors_empties_and_repeats(tmp_path):
    write_items(
        tmp_path,
        "instagram",
        [
            instagram_item("1", "Our own post about chai, 2024."),
            instagram_item("2", "A food blogger's collab post", owner="lahorefoodtrail"),
            instagram_item("3", "   "),
            instagram_item("1", "Our own post about chai, 2024.", isPinned=True),
            {"error": "no_items", "errorDescription": "Profile is private", "url": "https://www.instagram.com/p/X9/"},
            instagram_item("4", "Owner missing: cannot tell, so kept", owner=None),
        ],
    )
    (tmp_path / "instagram" / "run1.jsonl").open("a").write("{not json\n")
    handles = brand_handles("instagram", [], ["@NukkarChai"])
    items = list(read_posts(tmp_path, "instagram", handles, keep_collab_posts=False))
    kept = [i.id for i in items if isinstance(i, Post)]
    reasons = {i.id: i.reason for i in items if isinstance(i, Dropped)}
    assert kept == ["instagram/1", "instagram/4"]
    assert reasons == {
        "instagram/2": "collab_post",
        "instagram/3": "empty_text",
        "instagram/1": "repeated_item",
        "instagram/X9": "error_item",
        "run1.jsonl:7": "unreadable_line",
    }
    with_collabs = list(read_posts(tmp_path, "instagram", handles, keep_collab_posts=True))
    assert "instagram/2" in [i.id for i in with_collabs if isinstance(i, Post)]


def test_facebook_posts_of_another_page_are_collabs(tmp_path):
    write_items(
        tmp_path,
        "facebook",
        [
            facebook_item("10", "Our post", time="2024-05-01T10:20:30.000Z"),
            facebook_item("11", "Shared from a partner page", page="lahorefoodtrail"),
            facebook_item("12", None),
        ],
    )
    handles = brand_handles("facebook", ["https://www.facebook.com/nukkarchai/"], [])
    items = list(read_posts(tmp_path, "facebook", handles, keep_collab_posts=False))
    assert [(i.id, getattr(i, "reason", "kept")) for i in items] == [
        ("facebook/10", "kept"),
        ("facebook/11", "collab_post"),
        ("facebook/12", "empty_text"),
    ]
    assert items[0].date == "2024-05-01T10:20:30Z" and items[0].url.endswith("/posts/10")


def test_dates_normalised_to_utc():
    assert normalise_date("2024-05-01T15:20:30+05:00") == "2024-05-01T10:20:30Z"
    assert normalise_date(1714558830) == "2024-05-01T10:20:30Z"
    assert normalise_date("yesterday") is None and normalise_date(None) is None


def test_parallel_preparation_matches_serial():
    from brandtone.clean.rules import PARALLEL_FROM, prepare_texts

    texts = [f"Post {i}: chai at Rs. {i % 300}, WhatsApp 0300-{1000000 + i} ☕ #Nukkar{i % 7}" for i in range(PARALLEL_FROM)]
    serial = list(prepare_texts(texts, TextRules(), workers=1))
    parallel = list(prepare_texts(texts, TextRules(), workers=2))
    assert [p.cleaned.text for p in parallel] == [s.cleaned.text for s in serial]
    assert all((p.sketch.signature == s.sketch.signature).all() for p, s in zip(parallel, serial))
    assert serial[5].cleaned.text == "Post 5: chai at Rs. 5, ☕ #Nukkar5"
