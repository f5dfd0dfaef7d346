"""Names of places in the reader's language.

Countries: the Unicode CLDR's names (through Babel), which every major operating system and
browser uses, for the region's languages — "Kosovë" in Albanian, "Косово" in Serbian Cyrillic,
"Sjeverna Makedonija" in Bosnian — with Kosovo (XK) included, which ISO 3166-1 and pycountry
lack. English keeps the curated name of the record (a curator may spell it as the sources do).
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils import translation

from .languages import SOURCE_LANGUAGE


def country_name(code: str, english: str | None) -> str | None:
    """The country ``code``'s name in the active language; ``english`` (the record's) in English
    or where CLDR has no name for it."""
    language = translation.get_language()
    if not language or language == SOURCE_LANGUAGE or not code:
        return english
    return _territories(language).get(code.upper(), english)


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(translation.to_locale(language)).territories)
    except (UnknownLocaleError, ValueError):
        return {}
