"""The portal's languages, defined once (no Django import: settings read it).

The region's languages (README, "Languages"): English, Albanian, Serbian in Cyrillic (the official
script in Serbia) and in Latin, and Bosnian. Each is switched on — offered by the switcher, given a
URL prefix (/sq/partners/…) and chosen from Accept-Language — once its catalogue is complete and
compiled under locale/ (``manage.py build_catalogues --check`` and the catalogue tests say when).
English is the source language and needs no catalogue. Serbian Latin is never translated by hand:
its catalogue is generated from the Cyrillic one by transliteration, so the two cannot drift.
"""

from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# (code, name in its own language) in the order the switcher shows them.
ALL_LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski (latinica)"),
    ("bs", "Bosanski"),
]
SOURCE_LANGUAGE = "en"
# Each language's BCP 47 tag with its script, as record data tags local names (Alias.language).
BCP47 = {"en": "en", "sq": "sq", "sr": "sr-Cyrl", "sr-latn": "sr-Latn", "bs": "bs"}
# A catalogue generated from another by transliteration: {generated: source}.
TRANSLITERATED = {"sr-latn": "sr"}
DOMAINS = ("django", "djangojs")


def locale_name(code: str) -> str:
    """The folder name gettext uses: sr-latn → sr_Latn."""
    language, _, script = code.partition("-")
    return f"{language}_{script.title()}" if script else language


def catalogue(code: str, domain: str = "django", suffix: str = "po") -> Path:
    return LOCALE_DIR / locale_name(code) / "LC_MESSAGES" / f"{domain}.{suffix}"


def is_switched_on(code: str, locale_dir: Path | None = None) -> bool:
    if code == SOURCE_LANGUAGE:
        return True
    path = catalogue(code, suffix="mo")
    if locale_dir is not None:
        path = locale_dir / path.relative_to(LOCALE_DIR)
    return path.is_file()


# How far a catalogue's translations have been checked: its header line X-Translation-Status.
MACHINE_ASSISTED = "machine-assisted"  # drafted with machine help, not yet reviewed by a native speaker
REVIEWED = "reviewed"  # reviewed by a native speaker
STATUSES = (MACHINE_ASSISTED, REVIEWED)


@cache
def translation_status(code: str, locale_dir: Path | None = None) -> str | None:
    """The status of ``code``'s interface translation (None for the source language). A catalogue
    that does not say is taken as machine-assisted: a reader is never told more than is known."""
    if code == SOURCE_LANGUAGE:
        return None
    import polib

    path = catalogue(code)
    if locale_dir is not None:
        path = locale_dir / path.relative_to(LOCALE_DIR)
    status = polib.pofile(str(path)).metadata.get("X-Translation-Status") if path.is_file() else None
    return status if status in STATUSES else MACHINE_ASSISTED


def languages(locale_dir: Path | None = None) -> list[tuple[str, str]]:
    """The languages the portal offers: English and each with a compiled catalogue."""
    return [(code, name) for code, name in ALL_LANGUAGES if is_switched_on(code, locale_dir)]
