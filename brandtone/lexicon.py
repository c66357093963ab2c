"""Word lists and patterns that stages 2, 3 and 6 read text with, kept once so they agree."""

from __future__ import annotations

import re

# A hashtag as the platforms link it: "#" and a run of word characters, not inside a word.
# group(1) is the tag without its "#".
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")

# Urdu function words and very common verbs as written in Latin script. Only
# words that are not also common English words (no "to", "main", "par", "me", and
# no "the", Urdu for "were": it tagged a fifth of a formal English brand's posts).
ROMAN_URDU_WORDS = frozenset(
    """
    hai hain hay hoon hun ho hota hoti hotay hote tha thi thay nahi nahin nai na
    ka ki ke ko se mein mai aur bhi kya kia kyun kyon kab kahan jab tab phir abhi
    yeh ye woh wo wahan yahan koi kuch sab bohat bahut bohot zyada kam acha accha achha
    hum ham aap ap tum tu apna apni apne mera meri mere tera teri hamara hamari
    kar karo karna karein karen karte karti kiya raha rahi rahe gaya gayi gaye
    wala wali walay wale lekin magar bas sirf zaroor zarur chalo chaliye milte milo
    ji jee yaar yar haan han toh bilkul shukriya inshallah mashallah aaj kal
    """.split()
)
