"""Hostile requests for every URL pattern and every filter parameter: none may answer 5xx.

Used by ``scripts/html-fuzz`` (every case, on a throwaway database: SQLite or PostgreSQL through
DATABASE_URL) and by ``tests/test_fuzz.py`` (a fixed sample, so ``make test`` covers it). The URL
patterns come from the URL resolver and the parameters from each view's FilterSet, so a new page
or filter is fuzzed without being listed here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

# Already percent-encoded, so that invalid UTF-8 and lone "%" reach the server as they are.
HOSTILE = {
    "nul": "%00",
    "crlf": "%0D%0ASet-Cookie:%20x=1",
    "invalid-utf8": "%FF%FE%C0%AF",
    "overlong-utf8": "%C0%AE%C0%AE%2F",
    "surrogate": "%ED%A0%80",
    "lone-percent": "%",
    "unicode": quote("Žene ženama 中文 🙂 \u202eRTL \u200b", safe=""),
    "huge": "x" * 5_000,
    "huge-number": "9" * 400,
    "negative": "-1",
    "float-inf": "1e309",
    "sql": quote("' OR 1=1; --", safe=""),
    "html": quote('"><script>alert(1)</script>', safe=""),
    "traversal": "..%2F..%2Fetc%2Fpasswd",
    "spaces": "%20%20",
    "brackets": "%5B%5D%7B%7D",
    "comma-list": ",,,-,",
    "empty": "",
}

# Parameters every list or detail may be given, besides its FilterSet's.
COMMON_PARAMS = ("page", "page_size", "sort", "ordering", "q", "search", "format", "fields", "omit", "brief")
DETAIL_PARAMS = ("format", "fields", "omit", "brief")
SPECIAL_PARAMS = {"schema": ("version", "lang", "format"), "swagger-ui": ("script",), "login": ("next",)}
SKIP_PREFIXES = ("admin/",)  # the admin behind a login answers anonymous requests with a redirect
KEEP = ("admin/login/",)
PLACEHOLDER = "\x00PARAM\x00"


@dataclass(frozen=True)
class Route:
    template: str  # the path, with PLACEHOLDER for each parameter
    name: str
    params: tuple[str, ...]  # query parameters worth fuzzing

    def path(self, value: str) -> str:
        return "/" + self.template.replace(PLACEHOLDER, value)

    @property
    def has_segments(self) -> bool:
        return PLACEHOLDER in self.template


def _route_text(pattern) -> str | None:
    """The pattern as a path with PLACEHOLDER for its parameters, or None if it cannot be built."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?\w+>", PLACEHOLDER, str(pattern))
    if isinstance(pattern, LocalePrefixPattern):  # the public pages: the active language's prefix
        return pattern.language_prefix
    if isinstance(pattern, RegexPattern):
        text = str(pattern).lstrip("^").rstrip("$")
        text = re.sub(r"\(\?P<\w+>[^)]*\)", PLACEHOLDER, text)
        text = text.replace("\\.", ".").replace("/?", "/")
        if re.search(r"[()\[\]*+?\\|^$]", text):
            return None
        return text
    return None


def _params(callback, template: str) -> tuple[str, ...]:
    if PLACEHOLDER in template:
        return DETAIL_PARAMS  # a detail page or record: filters do not apply
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    names = list(getattr(filterset, "base_filters", {}) or {})
    return tuple(dict.fromkeys([*names, *COMMON_PARAMS]))


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str):
        for entry in patterns:
            text = _route_text(entry.pattern)
            if text is None:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + text)
            elif isinstance(entry, URLPattern):
                template = prefix + text
                if template.startswith(SKIP_PREFIXES) and not template.startswith(KEEP):
                    continue
                name = entry.name or template
                params = _params(entry.callback, template) + SPECIAL_PARAMS.get(name, ())
                found.append(Route(template, name, tuple(dict.fromkeys(params))))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found), key=lambda route: route.template)


def _with_valid_segments(route: Route) -> str:
    # A segment that matches no record: the filters are still parsed and the 404 page rendered.
    return route.path("no-such-record")


# The values each parameter is also given on its own (the others come with every parameter at once).
# (NUL, CRLF, huge and the rest reach every parameter in the all-at-once requests.)
PER_PARAMETER = ("invalid-utf8", "huge-number", "unicode")


def cases() -> Iterator[str]:
    """Every hostile URL: each value in each path segment, as a parameter name, in every parameter
    at once (and repeated), and the commonest troublemakers in each parameter on its own."""
    for route in routes():
        base = _with_valid_segments(route)
        if route.has_segments:
            for value in HOSTILE.values():
                yield route.path(value)
        for value in HOSTILE.values():
            yield f"{base}?{value}=1"
            yield base + "?" + "&".join(f"{param}={value}&{param}=2" for param in route.params)
        for param in route.params:
            for name in PER_PARAMETER:
                yield f"{base}?{param}={HOSTILE[name]}"


def sample(size: int, seed: int = 1325) -> list[str]:
    """A fixed sample of ``cases()``: every route and every hostile value appear in it."""
    every = list(cases())
    rng = random.Random(seed)
    chosen = {url for url in every if "?" not in url}  # every hostile path segment
    per_route: dict[str, list[str]] = {}
    for url in every:
        per_route.setdefault(url.split("?", 1)[0], []).append(url)
    for urls in per_route.values():
        chosen.update(rng.sample(urls, min(3, len(urls))))
    rest = [url for url in every if url not in chosen]
    chosen.update(rng.sample(rest, max(0, min(len(rest), size - len(chosen)))))
    return sorted(chosen)


@dataclass
class Failure:
    url: str
    status: int
    excerpt: str

    def __str__(self):
        return f"{self.status} GET {self.url[:200]}  {self.excerpt[:300]}"


def run(client, urls: Iterable[str]) -> tuple[int, list[Failure]]:
    """GET each URL with a Django test client (raise_request_exception=False); (count, 5xx)."""
    failures = []
    count = 0
    for url in urls:
        count += 1
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # a streamed body can fail half-way, too
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            excerpt = repr(error[1]) if error else response.content.decode(errors="replace")
            failures.append(Failure(url, response.status_code, excerpt))
    return count, failures
