"""A small brand corpus for the fine-tuning and evaluation tests, made on the spot, and a control brand beside it.

Short posts in one consistent voice (a Lahore chai café: English with Roman
Urdu, emojis, hashtags), built from hand-written fragments with a fixed seed,
for every test that needs brand text (tests.helpers.datasets saves it as stage 3 would).
"""

from __future__ import annotations

import random

OPENERS = [
    "Garma garam chai is ready at the nukkar ☕",
    "Baarish ho rahi hai, and you know what that means 🌧️",
    "Subah ki pehli chai, Gulberg style ☀️",
    "Doodh patti, kadak and slow-boiled, just like Ammi makes it",
    "Kashmiri chai season is officially open 💗",
    "Late night gup-shup crew, we see you 🌙",
    "Fresh samosay just out of the karahi 🥟",
    "Pakoray + chai = the only weather report Lahore needs",
    "Our Model Town nukkar turns three today 🎉",
    "Chacha Rafiq's pateela has been on the stove since 7 am",
    "Exam season? We've got your back, yaar 📚",
    "Sunday family table at DHA Phase 5, reserved for you",
]
MIDDLES = [
    "Bring your dost, grab a cutting chai and stay as long as you like.",
    "Elaichi, a little saunf, and a lot of patience: that's the whole secret.",
    "Every cup is brewed to order, never from a flask.",
    "Half cup for you, half cup for gup-shup, that's the nukkar rule.",
    "The bun kebab is back on the menu, chutni extra spicy 🌶️.",
    "Students get a free rusk with every chai after 10 pm.",
    "Gur wali chai for the ones who skip cheeni, we remember you.",
    "Lahore ki sardi aur hamari chai, perfect jodi.",
    "Parking is tight, so park at the mall and walk two minutes.",
    "Our chaiwalas have been brewing together for eight years now.",
]
CLOSERS = [
    "Milte hain nukkar pe! #NukkarChai #ChaiTime",
    "Aa jao, chai thandi ho rahi hai 😄 #NukkarChai #LahoreEats",
    "Open 7 am to 1 am, every single day. #NukkarChai",
    "Tag the friend who owes you a chai ☕ #ChaiTime #Lahore",
    "See you at Gulberg, DHA or Model Town 📍 #NukkarChai",
    "Shukriya Lahore, for making the nukkar your second home 💛 #NukkarChai",
    "Kadak chai, narm dil. #NukkarChai #ChaiLovers",
]


def brand_posts(count: int, seed: int = 0) -> list[str]:
    """`count` distinct short posts in the brand's voice."""
    rng = random.Random(seed)
    posts: list[str] = []
    seen: set[str] = set()
    while len(posts) < count:
        parts = [rng.choice(OPENERS)]
        parts += rng.sample(MIDDLES, rng.choice([1, 1, 2]))
        parts.append(rng.choice(CLOSERS))
        text = " ".join(parts)
        if text not in seen:
            seen.add(text)
            posts.append(text)
    return posts


FORMAL_SUBJECTS = [
    "Our branches",
    "The annual general meeting",
    "Our savings accounts",
    "The mortgage team",
    "Online banking",
    "The community fund",
    "Our customer care line",
    "The board of directors",
    "Members' statements",
]
FORMAL_PREDICATES = [
    "will be closed on the forthcoming bank holiday",
    "remain available throughout the festive period",
    "will be reviewed in accordance with our published terms",
    "are available upon request from any branch",
    "will be unavailable during planned maintenance on Sunday morning",
    "reflect the interest rates now in effect",
    "have been updated with effect from the first of next month",
    "welcome applications until the closing date",
]


def formal_posts(count: int, seed: int = 0) -> list[str]:
    """`count` distinct posts in another brand's voice (a formal bank: English only, no hashtags, no emoji): the control
    that a voice test must tell apart from the chai café's."""
    rng = random.Random(seed)
    posts: list[str] = []
    while len(posts) < count:
        text = (
            f"{rng.choice(FORMAL_SUBJECTS)} {rng.choice(FORMAL_PREDICATES)}. Furthermore, {rng.choice(FORMAL_SUBJECTS).lower()} "
            f"{rng.choice(FORMAL_PREDICATES)}. We thank members for their understanding."
        )
        if text not in posts:
            posts.append(text)
    return posts
