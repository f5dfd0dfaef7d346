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
