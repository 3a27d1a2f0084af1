"""The content words of cards in the event's languages: no Flask, no database.

A card's language is the one it was tagged with, else guessed from its script and stop
words. Words are reduced to a stem (Snowball stemmers; a few suffix rules for Ukrainian,
which Snowball lacks) so that "Kita-Plätze" and "Kitaplatz" count together, and shown in
the spelling people used most. Stop words come from the stopwords-iso lists.

Why stems and not simplemma's lemmas: simplemma's dictionaries for de, tr, ar, uk, ru and
en take about 520 MB of memory and 20 s to load in the server process (measured, see
docs/grouping.md); snowballstemmer takes 3 MB and a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache, lru_cache

import snowballstemmer
import stopwordsiso

# Einfache Sprache is German; the catalogue's other languages are these.
LANGUAGES = ("de", "en", "tr", "ar", "fa", "uk", "ru")
_SNOWBALL = {"de": "german", "en": "english", "tr": "turkish", "ar": "arabic",
             "fa": "persian", "ru": "russian"}
# Words that carry no topic on a participation card, beyond the general stop-word lists.
_EXTRA_STOP = {
    "de": {"bitte", "gibt", "geben", "sollte", "sollten", "soll", "müssen", "muss", "brauchen",
           "braucht", "mehr", "viele", "vielen", "immer", "oft", "z.b", "usw", "etc", "ganz"},
    "en": {"please", "need", "needs", "should", "more"},
    "tr": {"lazım", "gerekli", "daha", "fazla", "olmalı", "sunulsun", "var", "yok"},
    "ar": {"نحتاج", "المزيد", "يجب", "جداً", "جدا", "أيضاً", "أيضا"},
    "fa": {"لازم", "باید", "خیلی", "بیشتر", "هم", "است", "نیست", "می‌شود"},
    "uk": {"потрібно", "потрібні", "потрібна", "більше", "дуже", "також", "треба", "які", "який"},
    "ru": {"нужно", "нужны", "нужна", "больше", "очень", "также", "надо", "которые"},
}
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\u200c-]*[^\W\d_])?")
_PERSIAN_ONLY = set("پچژگکی")
_UKRAINIAN_ONLY = set("іїєґ")
_TURKISH_ONLY = set("ğışİ")
_UK_ENDINGS = sorted(
    ["ами", "ями", "ові", "еві", "ого", "ому", "ими", "іми", "ій", "ий", "их", "ів", "ах", "ях",
     "ам", "ям", "ом", "ем", "ою", "ею", "ою", "а", "я", "у", "ю", "і", "и", "о", "е", "ь", "ї"],
    key=len, reverse=True)


def normalise(text: str) -> str:
    """NFKC, lower case, ß as ss, Arabic letter variants folded: the form words are compared in."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ß", "ss")
    return text.translate(str.maketrans({"ي": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا",
                                         "ـ": None, "\u064b": None, "\u064c": None}))


def tokens(text: str) -> list[str]:
    """The words of a text as written (letters, with inner hyphens and apostrophes)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language, normalised."""
    words = set(stopwordsiso.stopwords(language)) | _EXTRA_STOP.get(language, set())
    return frozenset(normalise(w) for w in words)


def language_of(text: str, hint: str | None = None) -> str:
    """The card's language: the hint when it is one of LANGUAGES, else a guess (default de)."""
    if hint:
        short = hint.lower().split("@")[0].split("-")[0].split("_")[0]
        if short in LANGUAGES:
            return short
    letters = [c for c in text.lower() if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    if arabic and arabic >= cyrillic:
        return "fa" if _PERSIAN_ONLY & set(letters) else "ar"
    if cyrillic:
        return "uk" if _UKRAINIAN_ONLY & set(letters) else "ru"
    if _TURKISH_ONLY & set(text):
        return "tr"
    words = [normalise(w) for w in tokens(text)]
    votes = {lang: sum(w in stop_words(lang) for w in words) for lang in ("de", "en", "tr")}
    best = max(votes, key=lambda lang: (votes[lang], lang == "de"))
    return best if votes[best] > votes["de"] else "de"


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(_SNOWBALL[language]) if language in _SNOWBALL else None


def _stem_uk(word: str) -> str:
    for ending in _UK_ENDINGS:
        if len(word) - len(ending) >= 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    """The stem words are counted by: hyphens and joiners dropped, then the language's stemmer."""
    plain = normalise(word).replace("-", "").replace("\u200c", "").replace("'", "").replace("’", "")
    if language == "uk":
        return _stem_uk(plain)
    if language == "ar":
        # The article and the prepositions fused with it; Snowball keeps them on short words.
        for prefix in ("وال", "بال", "فال", "كال", "لل", "ال"):
            if plain.startswith(prefix) and len(plain) - len(prefix) >= 3:
                plain = plain[len(prefix):]
                break
    stemmer = _stemmer(language)
    if stemmer is None:
        return plain
    stemmed = stemmer.stemWord(plain)
    # German Snowball is not idempotent ("Sprachkurse" → "sprachkurs" → "sprachkur"):
    # once more, so both forms meet.
    return stemmer.stemWord(stemmed) if language == "de" else stemmed


def content_words(text: str, language: str) -> list[tuple[str, str]]:
    """(stem, word as written) for each word of the text that is not a stop word."""
    stops = stop_words(language)
    out = []
    for word in tokens(text):
        norm = normalise(word)
        if len(norm) < 3 or norm in stops or norm.replace("-", "") in stops:
            continue
        out.append((stem(word, language), word))
    return out


def shown_as(spellings: Counter) -> str:
    """How a stem is shown: its shortest spelling (the base form, mostly), then the most used."""
    return min(spellings, key=lambda w: (len(w), -spellings[w], w))


def top_words(cards: list[dict], limit: int = 20) -> list[dict]:
    """The most frequent content words of the cards: [{"word", "count"}], count = cards using it.

    A card counts once per word, so one long card cannot fill the list; ties go by the
    word. The word is shown in its shortest spelling (German nouns keep their capital).
    """
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for card in cards:
        language = language_of(card["text"], card.get("language"))
        seen = set()
        for key, word in content_words(card["text"], language):
            spellings[key][word] += 1
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    shown = [(shown_as(spellings[k]), n) for k, n in counts.items()]
    shown.sort(key=lambda p: (-p[1], p[0].lower()))
    return [{"word": w, "count": n} for w, n in shown[:limit]]


def word_view(cards: list[dict], questions: list[str], limit: int = 12) -> dict:
    """The word view of one table: the visible cards' top words for each Leitfrage.

    `questions` are the table's guiding questions; cards without a question form the
    group `question: null` ("general"), listed first and only when it has cards.
    """
    visible = [c for c in cards if not c.get("hidden")]
    out = []
    for q in [None, *range(len(questions))]:
        mine = [c for c in visible if c.get("question") == q]
        if q is None and not mine:
            continue
        out.append({"question": q, "text": None if q is None else questions[q],
                    "cards": len(mine), "words": top_words(mine, limit)})
    return {"cards": len(visible), "questions": out}
