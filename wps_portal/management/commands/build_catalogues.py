"""Generate the Serbian Latin catalogue from the Cyrillic one and compile every catalogue.

    python manage.py build_catalogues           # write locale/sr_Latn/…/*.po and every .mo
    python manage.py build_catalogues --check   # change nothing; exit 1 naming each file that is
                                                # out of date, incomplete or fuzzy

A catalogue with an untranslated or fuzzy message is not compiled (a compiled catalogue switches
its language on: wps_portal/languages.py). Serbian Latin is never edited by hand: each of its messages is the Cyrillic one transliterated
(cyrtranslit, the same library the search folds Cyrillic with), so the two scripts cannot drift.
The .mo files are compiled here with polib rather than GNU gettext's msgfmt, so a checkout needs
nothing but Python; both are committed, and ``--check`` in CI proves they match their .po files.
Extracting new messages (``make messages``) does need GNU gettext.
"""

from pathlib import Path

import polib
from django.core.management.base import BaseCommand, CommandError

from wps_portal import languages
from wps_portal.translations import to_latin


def transliterated(source: polib.POFile, code: str) -> polib.POFile:
    """The catalogue ``source`` with every translation in Latin script."""
    generated = polib.POFile(wrapwidth=source.wrapwidth)
    generated.header = (
        f"Generated from the {Path(str(source.fpath)).parent.parent.name} catalogue by "
        "`manage.py build_catalogues`: do not edit."
    )
    generated.metadata = {**source.metadata, "Language": languages.locale_name(code)}
    for entry in source:
        if entry.obsolete:
            continue
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            msgstr=to_latin(entry.msgstr),
            msgstr_plural={n: to_latin(text) for n, text in entry.msgstr_plural.items()},
            occurrences=entry.occurrences,
            flags=list(entry.flags),
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
        generated.append(copy)
    return generated


def problems(catalogue: polib.POFile) -> list[str]:
    untranslated = catalogue.untranslated_entries()
    fuzzy = catalogue.fuzzy_entries()
    found = []
    if untranslated:
        found.append(f"{len(untranslated)} untranslated (first: {untranslated[0].msgid!r})")
    if fuzzy:
        found.append(f"{len(fuzzy)} fuzzy (first: {fuzzy[0].msgid!r})")
    return found


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="change nothing; fail on any stale file")
        parser.add_argument("--locale-dir", default=str(languages.LOCALE_DIR), help="the locale folder")

    def handle(self, *args, check=False, locale_dir=None, **options):
        root = Path(locale_dir)
        failures: list[str] = []
        written = 0
        for code, _name in languages.ALL_LANGUAGES:
            if code == languages.SOURCE_LANGUAGE:
                continue
            for domain in languages.DOMAINS:
                po_path = root / languages.catalogue(code, domain).relative_to(languages.LOCALE_DIR)
                source_code = languages.TRANSLITERATED.get(code)
                if source_code:
                    source_path = root / languages.catalogue(source_code, domain).relative_to(
                        languages.LOCALE_DIR
                    )
                    if not source_path.is_file():
                        continue
                    expected = str(transliterated(polib.pofile(str(source_path)), code))
                    if not po_path.is_file() or po_path.read_text(encoding="utf-8") != expected:
                        if check:
                            failures.append(f"{po_path}: not the transliteration of {source_path}")
                        else:
                            po_path.parent.mkdir(parents=True, exist_ok=True)
                            po_path.write_text(expected, encoding="utf-8")
                            written += 1
                if not po_path.is_file():
                    continue
                catalogue = polib.pofile(str(po_path))
                found = problems(catalogue)
                failures += [f"{po_path}: {problem}" for problem in found]
                mo_path = po_path.with_suffix(".mo")
                compiled = catalogue.to_binary()
                if found:  # a compiled catalogue switches its language on: only a complete one
                    continue
                if not mo_path.is_file() or mo_path.read_bytes() != compiled:
                    if check:
                        failures.append(f"{mo_path}: not compiled from {po_path.name}")
                    else:
                        mo_path.write_bytes(compiled)
                        written += 1
        for failure in failures:
            self.stderr.write(failure)
        if failures:
            raise CommandError(f"{len(failures)} catalogue problem(s): see above")
        self.stdout.write(f"catalogues {'checked' if check else 'built'}; {written} file(s) written")
