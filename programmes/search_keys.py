"""Search and sort keys: names and titles folded so that the spellings visitors type meet the
stored ones, and titles put in the order of an A–Z index.

A Russian name reaches a Dutch or English visitor in several transliterations: Хуциев is Khutsiev
in English, Choetsiev or Choetsijev in Dutch, Chuzijew in German; Тарковский is Tarkovsky,
Tarkovski, Tarkovskij or Tarkowski. `fold()` turns any of them into one key by writing each
script in Latin letters (anyascii), dropping accents and case, and then merging the letter groups
that stand for one Russian sound in the three languages' systems. The key is never shown; both
the stored text and the visitor's query go through the same function, so what is merged matters
only in that two spellings meet, and a few unrelated words meeting costs little.

Each searchable object stores `search_key`: the folded forms of its names, each between bars, so
that a query's key can be compared with a whole name (exact), a name's start (prefix), or a word's
start (" word") with plain LIKE patterns that SQLite and PostgreSQL share; on PostgreSQL a
trigram index over the column also finds keys a letter or two away (screenings/search.py).
"""

from __future__ import annotations

import re

from anyascii import anyascii

# Applied in this order; each pattern reads the output of those before it. Markers: "x" stands
# for ш and ж, "q" for ч and х (Latin x and q are rewritten first, so neither is ambiguous).
FOLDS = (
    (re.compile(r"x"), "ks"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),  # German в: Tarkowski
    (re.compile(r"tsch|tsj|tch"), "q"),  # ч: German, Dutch, English before a vowel
    (re.compile(r"sch|sj|sh|zh|zj"), "x"),  # ш and ж in German, Dutch and English
    (re.compile(r"kh|ch"), "q"),  # х in English, Dutch and German; English ч
    (re.compile(r"ts|tz"), "z"),  # ц: English and Dutch ts, German z
    (re.compile(r"oe|ou"), "u"),  # у in Dutch (and French)
    (re.compile(r"[yj]"), "i"),  # й, ы and the soft vowels: y, j or i (-sky, -ski, -skij)
    (re.compile(r"([a-z])\1+"), r"\1"),  # Grigorii and Grigori, Vassili and Vasili
    (re.compile(r"ie"), "e"),  # Yevgeni, Jevgeni and Evgeni; Choetsiejev and Khutsiev
)
APOSTROPHES = "'’ʼ`"
NOT_A_WORD = re.compile(r"[^0-9a-z]+")
# The separator between a key's names: folding never leaves one in a name.
BAR = "|"


def fold(text: str) -> str:
    """The search form of a text: Latin letters and digits in words separated by one space."""
    # anyascii writes every script in ASCII (Калатозов, Kalatozov; Tarkóvsky, Tarkovsky);
    # an apostrophe joins (Ivan’s, Ivans; Крылья's soft sign), and what else is not a letter
    # or digit (punctuation, emoji) only separates words.
    plain = "".join(
        anyascii(char) if char.isalnum() else "" if char in APOSTROPHES else " "
        for char in str(text)
    )
    plain = plain.replace("'", "").lower()
    words = []
    for word in NOT_A_WORD.split(plain):
        for pattern, replacement in FOLDS:
            word = pattern.sub(replacement, word)
        if word:
            words.append(word)
    return " ".join(words)


def names_key(*names: str) -> str:
    """One stored key for an object known by several names: `| name one | name two |`.

    Every word is preceded by a space and every name by a bar, so the LIKE patterns of
    screenings/search.py find a whole name ("| q |"), a name's start ("| q") or a word's start
    (" q") without regular expressions.
    """
    folded = []
    for name in names:
        key = fold(name)
        if key and key not in folded:
            folded.append(key)
    if not folded:
        return ""
    return BAR + "".join(f" {key} {BAR}" for key in folded)


# Leading articles an A–Z index passes over, in the language of the title: "The Cranes Are
# Flying" under C, "De eerste leraar" under E.
ARTICLES = {
    "nl": re.compile(r"^(de|het|een|'t)\s+"),
    "en": re.compile(r"^(the|an|a)\s+"),
}
# Quotes and marks before the first word; an apostrophe is kept until the article is gone ('t).
LEADING_MARKS = re.compile(r"^[^0-9a-z']+")
LEADING_NON_WORD = re.compile(r"^[^0-9a-z]+")


def sort_title(title: str, language: str) -> str:
    """Where a title goes in an A–Z index: without its leading article, accents or case."""
    text = ARTICLES[language].sub("", LEADING_MARKS.sub("", anyascii(title).lower()))
    return LEADING_NON_WORD.sub("", text)


def sort_titles(title_nl: str, title_en: str) -> dict[str, str]:
    """A film's place in each language's index (its `sort_title_*` fields). An English page shows
    the Dutch title where there is no English one, and so sorts it as a Dutch title."""
    dutch = sort_title(title_nl, "nl")
    return {
        "sort_title_nl": dutch,
        "sort_title_en": sort_title(title_en, "en") if title_en else dutch,
    }
