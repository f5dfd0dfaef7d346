"""Matching a citation's excerpt against the text of its source document.

An excerpt "occurs" in a document when, after normalising both, it is a substring of it.
Normalising ignores differences of whitespace (runs of spaces, tabs, line breaks), curly vs
straight quotes, kinds of dash, soft hyphens, and the markup of emphasis (``*``, ``<i>``). A
U+FFFD replacement character in the source (where a letter was lost in conversion) matches any
single letter of the excerpt.

This module is plain Python (no Django) so a curator can check a fixture file directly:

    python -m wps_portal.excerpts fixtures/casestudies/01-regional-womens-lobby.yaml
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

REPLACEMENT = "\ufffd"

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00ad": None, "*": None, "\u200b": None,
        "\u00a0": " ",
    }
)  # fmt: skip
_TAGS = re.compile(r"</?(?:i|b|em|strong)>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form in which excerpts and documents are compared."""
    text = unicodedata.normalize("NFC", text)
    text = _TAGS.sub("", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=32)
def _pattern_for(document: str) -> tuple[str, bool]:
    normalised = normalise(document)
    return normalised, REPLACEMENT in normalised


def occurs_in(excerpt: str, document: str) -> bool:
    """Does the excerpt occur verbatim (up to normalisation) in the document?"""
    needle = normalise(excerpt)
    if not needle:
        return False
    haystack, has_replacements = _pattern_for(document)
    if needle in haystack:
        return True
    if not has_replacements:
        return False
    # Let each U+FFFD in the document stand for any one letter of the excerpt.
    pattern = "".join(
        "(?:" + re.escape(ch) + "|" + re.escape(REPLACEMENT) + ")" if ch.isalpha() else re.escape(ch)
        for ch in needle
    )
    return re.search(pattern, haystack) is not None


# -- where an excerpt occurs: the section locator -------------------------------------------
#
# The source texts have no page markers (no form feeds, no "page n" lines), but they keep the
# documents' headings on lines of their own: "CASE STUDY 1: Regional Women's Lobby (RWL)",
# "Results", "ISSUE BOX: Using the media", "I. About the Programme:". A heading is a short line
# that does not read as a sentence, at one of three levels:
#   1. the document's title, and the parts its table of contents lists (lines ending in a tab
#      and a page number);
#   2. labelled or numbered headings: "CASE STUDY 6: …", "ISSUE BOX: …", "F. Security Sector",
#      "3. Acting as a facilitator" (a numbered one inside a case study is a level-3 sub-section);
#   3. any other short heading: "Background", "Results", "Lessons learned".
# The title block (the lines before the first paragraph) and running headers (the title repeated
# where a page broke) are not headings. An excerpt's locator is the nearest level-2 heading
# before it (or level 1 when none follows that), then the level-3 heading under it, if any.

_LABELLED = re.compile(r"^(?:case study\s+\d+\b|issue box\b|[ivx]+\.\s|[a-h]\.\s)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,2}\.\s")
_CASE_STUDY = re.compile(r"^case study\s+\d+\b", re.IGNORECASE)
_TOC_LINE = re.compile(r"^(.+?)\t+\d+\s*$")
_BULLET = re.compile(r"^[\u2022\u00b7\-\u2013\u2014*]\s")
_PARAGRAPH_LENGTH = 150
LOCATOR_SEPARATOR = " \u203a "  # "›"


def _letters(text: str) -> str:
    """Only the letters and digits, case-folded: "network- building" is "network-building"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _is_heading_text(line: str, labelled: bool) -> bool:
    words = len(line.split())
    if not line or len(line) > _PARAGRAPH_LENGTH or _TOC_LINE.match(line) or _BULLET.match(line):
        return False
    if line[-1] in ".;," or words > (25 if labelled else 10):
        return False
    if line[-1] == ":" and not labelled and words > 6:
        return False  # "The project implementation has included following activities:"
    return line[0].isupper() or line[0].isdigit()


@lru_cache(maxsize=32)
def _outline(document: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """(the document normalised line by line, ((offset, level, heading), …)): the same text
    ``normalise`` gives, built a line at a time so that each heading's offset in it is known."""
    raw_lines = document.splitlines()
    contents = frozenset(
        normalise(m.group(1)).casefold() for raw in raw_lines if (m := _TOC_LINE.match(raw.strip()))
    )
    parts, headings, offset = [], [], 0
    title, in_title_block, in_case_study = "", True, False
    for raw in raw_lines:
        line = normalise(raw)
        if not line:
            continue
        if in_title_block and (len(line) > _PARAGRAPH_LENGTH or line.endswith(".") or _LABELLED.match(line)):
            in_title_block = False
        # As written (dashes and quotes kept), without emphasis markup.
        heading = " ".join(_TAGS.sub("", raw).replace("*", "").split()).rstrip(":").strip()
        if not title:
            title = heading
            headings.append((offset, 1, heading))
        elif in_title_block or _letters(heading) == _letters(title):
            pass  # the title page's lines; a running header
        elif _LABELLED.match(line) and _is_heading_text(line, True):
            headings.append((offset, 2, heading))
            in_case_study = bool(_CASE_STUDY.match(line))
        elif line.casefold() in contents or normalise(heading).casefold() in contents:
            headings.append((offset, 1, heading))
            in_case_study = False
        elif _NUMBERED.match(line) and _is_heading_text(line, True):
            headings.append((offset, 3 if in_case_study else 2, heading))
        elif _is_heading_text(line, False):
            headings.append((offset, 3, heading))
        parts.append(line)
        offset += len(line) + 1
    return " ".join(parts), tuple(headings)


def find(excerpt: str, document: str) -> int | None:
    """Where the excerpt occurs in the normalised document (``occurs_in``'s match), or None."""
    needle = normalise(excerpt)
    if not needle:
        return None
    haystack, _headings = _outline(document)
    position = haystack.find(needle)
    if position >= 0:
        return position
    if REPLACEMENT not in haystack:
        return None
    pattern = "".join(
        "(?:" + re.escape(ch) + "|" + re.escape(REPLACEMENT) + ")" if ch.isalpha() else re.escape(ch)
        for ch in needle
    )
    match = re.search(pattern, haystack)
    return match.start() if match else None


def locate(excerpt: str, document: str) -> str:
    """The section an excerpt occurs in, from the document's headings: "CASE STUDY 1: Regional
    Women's Lobby (RWL) › Results". Empty when the excerpt is not found."""
    position = find(excerpt, document)
    if position is None:
        return ""
    _haystack, headings = _outline(document)
    main, sub = "", ""
    for offset, level, heading in headings:
        if offset > position:
            break
        if level < 3:
            main, sub = heading, ""
        else:
            sub = heading
    return LOCATOR_SEPARATOR.join(part for part in (main, sub) if part)


def _iter_citations(node, path="$"):
    if isinstance(node, dict):
        for item_index, citation in enumerate(node.get("citations") or []):
            yield f"{path}.citations[{item_index}]", citation
        for key, value in node.items():
            if key != "citations":
                yield from _iter_citations(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("slug") or value.get("order") or index if isinstance(value, dict) else index
            yield from _iter_citations(value, f"{path}[{label}]")


def main(argv: list[str]) -> int:
    """Check every citation in the given YAML fixture files; print failures; exit 1 on any.

    The texts are read from --sources DIR, else $SOURCES_DIR, else ../shared/sources beside the
    repository (the same default as settings.SOURCES_DIR, without needing Django set up)."""
    import argparse
    import os

    import yaml

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(prog="python -m wps_portal.excerpts", description=main.__doc__)
    parser.add_argument("files", nargs="+", help="fixture YAML files to check")
    parser.add_argument("--sources", help="folder of the source texts")
    args = parser.parse_args(argv)
    sources_dir = Path(args.sources or os.environ.get("SOURCES_DIR") or root.parent / "shared" / "sources")
    if not sources_dir.is_dir():
        print(f"{sources_dir}: no such folder of source texts (give --sources DIR or SOURCES_DIR)")
        return 2
    argv = args.files
    registry = {s["key"]: s["filename"] for s in yaml.safe_load((root / "fixtures/sources.yaml").read_text())}
    failures = 0
    checked = 0
    for name in argv:
        data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        for where, citation in _iter_citations(data):
            checked += 1
            key = citation.get("source")
            if key not in registry:
                print(f"{name} {where}: unknown source {key!r}")
                failures += 1
                continue
            excerpt = citation.get("excerpt") or ""
            document = (sources_dir / registry[key]).read_text(encoding="utf-8")
            if len(excerpt) > 300:
                print(f"{name} {where}: excerpt is {len(excerpt)} characters (max 300)")
                failures += 1
            if not occurs_in(excerpt, document):
                print(f"{name} {where}: excerpt not found in {key}: {excerpt[:80]!r}")
                failures += 1
    print(f"{checked} citations checked, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
