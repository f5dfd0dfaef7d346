"""One normalisation for what is indexed and what is asked, done in Python so that SQLite and
PostgreSQL see exactly the same tokens.

``fold``: Serbian/Macedonian Cyrillic transliterated to Latin (cyrtranslit), diacritics and the
region's letters folded (Ž→z, đ→d, ë→e, ç→c), lower-cased, apostrophes dropped (women's → womens),
everything else that is not a letter or digit a space. ``index_tokens``: the folded words, each
reduced to its English Snowball stem (endorsed, endorsement → endors), so both sides agree.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import cyrtranslit
import snowballstemmer

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Letters that do not decompose into base letter + accent.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u02bc": None})
# A Snowball stemmer keeps the word it is stemming in its own attributes: one shared by the
# threads of a worker raced ("IndexError: string index out of range", found by the API fuzz).
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def transliterate(text: str) -> str:
    """Cyrillic letters to Latin: Serbian first, then Macedonian (ќ, ѓ, ѕ), then Russian leftovers."""
    if not _CYRILLIC.search(text):
        return text
    for language in ("sr", "mk", "ru"):
        text = cyrtranslit.to_latin(text, language)
        if not _CYRILLIC.search(text):
            break
    return text


def fold(text: str) -> str:
    """Lower-case, Latin-script, accent-free, punctuation-free words separated by single spaces."""
    text = transliterate(text or "").translate(_SPECIAL).translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(_WORD.findall(text))


# The name the rest of the portal has always used.
normalise = fold


def words(text: str) -> list[str]:
    return fold(text).split()


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The English Snowball stem of a folded word; words with digits (1325, 2010, ks1) stay whole."""
    if any(ch.isdigit() for ch in word) or len(word) < 3:
        return word
    return _stemmer().stemWord(word)


def index_tokens(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word (padded with two spaces before and one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0
