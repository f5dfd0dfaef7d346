"""schema.org JSON-LD for every detail page (in its head), and a Dataset for the home page.

Each app describes its own kinds in its ``linked_data.py`` with ``@describes(Model)`` (found at
start-up, as the admin finds ``admin.py``); this layer adds what every description shares: the
page's address as ``@id`` and ``url``, and the source documents that the record's excerpts quote
as ``subjectOf``. Related records are referenced only when the public may see them (``ref``
returns None for a draft; the pages' prefetches hold published records only).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe

from .citing import PORTAL_NAME, portal_version
from .licence import LICENCE

CONTEXT = "https://schema.org"
DESCRIBERS: dict = {}

# Inside <script>, "</script>" or "<!--" in a value would end or change the script: the same
# escapes as Django's json_script.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def describes(model):
    """Register ``function(obj, request) -> dict`` as the description of ``model``'s records."""

    def register(function):
        DESCRIBERS[model] = function
        return function

    return register


def discover():
    autodiscover_modules("linked_data")


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def ref(obj, request, type_: str, **extra) -> dict | None:
    """A reference to a related record by its page (None for a record the public may not see)."""
    if obj is None or getattr(obj, "is_published", True) is False:
        return None
    node = {"@type": type_, "@id": absolute(request, obj.get_absolute_url()), "name": str(obj)}
    node.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    return node


def refs(objects, request, type_: str) -> list[dict]:
    return [node for node in (ref(obj, request, type_) for obj in objects) if node]


def portal_organization(request) -> dict:
    return {"@type": "Organization", "name": PORTAL_NAME, "url": absolute(request, reverse("home"))}


def country_node(country, request) -> dict:
    return {
        "@type": "Country",
        "@id": absolute(request, country.get_absolute_url()),
        "name": country.name,
        "identifier": country.code,
    }


def source_node(source, request) -> dict:
    node = {
        "@type": "Report",
        "@id": absolute(request, source.get_absolute_url()),
        "name": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.date_iso:
        node["datePublished"] = source.date_iso
    if source.url:
        node["url"] = source.url
    return node


def sources_of(obj) -> list:
    """The source documents ``obj``'s excerpts quote, in the order first quoted."""
    citations = getattr(obj, "citations", None)
    seen = {}
    for citation in citations.all() if citations is not None else ():
        seen.setdefault(citation.source_id, citation.source)
    return list(seen.values())


def compact(node: dict) -> dict:
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def describe(obj, request) -> dict | None:
    """The JSON-LD of ``obj``'s page, or None for a kind nobody describes."""
    describer = DESCRIBERS.get(type(obj))
    if describer is None:
        return None
    url = absolute(request, obj.get_absolute_url())
    node = {"@context": CONTEXT, "@id": url, "url": url, **describer(obj, request)}
    node.setdefault("mainEntityOfPage", url)
    sources = [source_node(s, request) for s in sources_of(obj)]
    if sources:
        node["subjectOf"] = sources
    return compact(node)


def dataset(request, *, countries=(), sources=(), distributions=()) -> dict:
    """The portal's data as a schema.org Dataset (the home page's; the release adds its files
    to ``distributions``)."""
    api = absolute(request, reverse("api:root"))
    return compact(
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "@id": absolute(request, reverse("home")) + "#dataset",
            "name": "WPS Portal: women, peace and security in the Western Balkans",
            "description": (
                "A registry of the partners, programmes and activities and a knowledge base of the "
                "case studies, approaches, results and lessons of the UNIFEM / UN Women work on UN "
                "Security Council resolution 1325 in the Western Balkans, each record citing its "
                "source document with a verbatim excerpt."
            ),
            "url": absolute(request, reverse("home")),
            "license": LICENCE["url"],
            "version": portal_version(),
            "creator": portal_organization(request),
            "publisher": portal_organization(request),
            "inLanguage": "en",
            "keywords": ["women, peace and security", "UNSCR 1325", "Western Balkans", "UN Women"],
            "spatialCoverage": [country_node(c, request) for c in countries],
            "isBasedOn": [source_node(s, request) for s in sources],
            "distribution": [
                {
                    "@type": "DataDownload",
                    "name": "REST API",
                    "encodingFormat": "application/json",
                    "contentUrl": api,
                },
                *distributions,
            ],
        }
    )


def script(data: dict | None) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML."""
    if not data:
        return mark_safe("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _describe_source(source, request) -> dict:
    node = source_node(source, request)
    node.pop("@id")
    node.update(
        author={"@type": "Organization", "name": source.publisher},
        description=source.description,
        # The document's own address when known; its page in the portal is the @id.
        url=source.url or absolute(request, source.get_absolute_url()),
    )
    if source.url:
        node["sameAs"] = source.url
    return node


def _register_sources():
    from .models import SourceDocument

    describes(SourceDocument)(_describe_source)
