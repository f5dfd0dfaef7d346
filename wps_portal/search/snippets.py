"""The passage shown with each hit: the window of the record's text with the most matched words,
those words wrapped in <mark>. Every piece of the record's text is escaped first, so no markup
in a record or a query can reach the page."""

from __future__ import annotations

import bisect
import functools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import index_tokens

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
WINDOW = 28  # words


@functools.lru_cache(maxsize=100_000)
def _stems(token: str) -> frozenset[str]:
    return frozenset(index_tokens(token))


def _marked(text: str, stems: set[str]):
    tokens = list(_TOKEN.finditer(text))
    return tokens, [not stems.isdisjoint(_stems(t.group())) for t in tokens]


def highlight(text: str, stems: set[str]) -> SafeString:
    """All of ``text``, escaped, with the matched words marked."""
    tokens, marks = _marked(text or "", stems)
    return _render(text or "", tokens, marks, 0, len(tokens), whole=True)


def best_snippet(texts: list[str], stems: set[str], window: int = WINDOW) -> tuple[int | None, SafeString]:
    """The best window of ``texts`` (the first text's start when nothing matches), and the index
    in ``texts`` of the text it was cut from (None when there is no snippet), so the page can give
    the snippet the language of that text. On a tie the earlier text wins."""
    best = None
    for index, text in enumerate(texts):
        if not text:
            continue
        tokens, marks = _marked(text, stems)
        if not tokens:
            continue
        marked = [i for i, m in enumerate(marks) if m]
        for k, start in enumerate(marked):
            end = bisect.bisect_left(marked, start + window, lo=k)
            inside = marked[k:end]
            key = (len({tokens[i].group().casefold() for i in inside}), len(inside))
            if best is None or key > best[0]:
                best = (key, index, text, tokens, marks, max(0, start - 4))
        if best is None:
            best = ((0, 0), index, text, tokens, marks, 0)
    if best is None:
        return None, mark_safe("")
    _key, index, text, tokens, marks, begin = best
    return index, _render(text, tokens, marks, begin, min(len(tokens), begin + window))


def _render(text, tokens, marks, begin, end, whole=False) -> SafeString:
    if not tokens:
        return mark_safe(escape(text))
    out = []
    position = 0 if whole or begin == 0 else tokens[begin].start()
    if not whole and begin > 0:
        out.append("… ")
    for i in range(begin, end):
        token = tokens[i]
        out.append(escape(text[position : token.start()]))
        word = escape(token.group())
        out.append(f"<mark>{word}</mark>" if marks[i] else word)
        position = token.end()
    if whole or end == len(tokens):
        out.append(escape(text[position:]))
    else:
        out.append(escape(text[position : tokens[end - 1].end()]) + " …")
    return mark_safe("".join(out))
