"""Citing the portal: "Cite this" on every record and source page, and its downloads.

A record's page cites the record itself (the portal is its author and publisher) and, after it,
the source documents its excerpts quote, each with the sections quoted (``Citation.locator``). A
source document's page cites the document (its publisher is its author). The same references
are offered in three formats, at the page's own address with ``?format=``:

- ``csl-json``: CSL-JSON (Citation Style Language data: Zotero, Mendeley, pandoc, citeproc);
- ``bibtex``: BibTeX / BibLaTeX;
- ``ris``: RIS (EndNote, Zotero, Reference Manager).

Every detail page (``CitableDetailView``) answers them, so every kind of record that has a page
has them, and no view lists them.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import get_resolver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PORTAL_NAME = "WPS Portal"
FORMAT_PARAM = "format"


@lru_cache(maxsize=1)
def portal_version() -> str:
    """The version a citation names: the one place it is read from (the release's version once
    releases are versioned; until then the project's own, from pyproject.toml)."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


@dataclass
class Reference:
    """One work to cite, in the terms the three formats share."""

    id: str
    kind: str  # "record" (a page of the portal) or "document" (a source document)
    title: str
    author: str  # a corporate author: the portal, or a document's publisher
    url: str
    accessed: datetime.date
    genre: str = ""  # "partner record", "case study record"…
    publisher: str = ""
    issued: str = ""  # ISO 8601 at its precision: "2011", "2011-10", "2012-10-24"
    container: str = ""  # the portal, for a record
    version: str = ""
    portal_url: str = ""  # a document's page in the portal
    sections: list[str] = field(default_factory=list)  # where the excerpts quoted are found
    note: str = ""

    @property
    def date_parts(self) -> list[int]:
        return [int(part) for part in self.issued.split("-")] if self.issued else []


# -- what is cited ----------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _issued_of(obj) -> str:
    updated = getattr(obj, "updated", None)
    return updated.date().isoformat() if isinstance(updated, datetime.datetime) else ""


def record_title(obj) -> str:
    return str(obj)


def record_reference(obj, request, *, accessed: datetime.date) -> Reference:
    meta = obj._meta
    return Reference(
        id=f"wps-{meta.model_name}-{getattr(obj, 'slug', None) or getattr(obj, 'code', None) or obj.pk}",
        kind="record",
        title=record_title(obj),
        author=PORTAL_NAME,
        publisher=PORTAL_NAME,
        url=_absolute(request, obj.get_absolute_url()),
        accessed=accessed,
        genre=gettext("%(kind)s record") % {"kind": meta.verbose_name},
        issued=_issued_of(obj),
        container=PORTAL_NAME,
        version=portal_version(),
    )


def source_reference(source, request, *, accessed: datetime.date, sections=()) -> Reference:
    portal_url = _absolute(request, source.get_absolute_url())
    return Reference(
        id=source.key,
        kind="document",
        title=source.title,
        author=source.publisher,
        publisher=source.publisher,
        url=source.url or portal_url,
        accessed=accessed,
        issued=source.date_iso or "",
        portal_url=portal_url,
        version=portal_version(),
        sections=sorted({s for s in sections if s}),
        note=source.date_note,
    )


def references(obj, request, *, accessed: datetime.date | None = None) -> list[Reference]:
    """What "Cite this" on ``obj``'s page cites: a source document; or the record, then each
    source document its excerpts quote (with the sections quoted), in the order first cited."""
    from .models import SourceDocument

    accessed = accessed or timezone.localdate()
    if isinstance(obj, SourceDocument):
        return [source_reference(obj, request, accessed=accessed)]
    refs = [record_reference(obj, request, accessed=accessed)]
    by_source: dict[int, tuple[object, list[str]]] = {}
    citations = getattr(obj, "citations", None)
    for citation in citations.all() if citations is not None else ():
        entry = by_source.setdefault(citation.source_id, (citation.source, []))
        entry[1].append(citation.locator or citation.section)
    for source, sections in by_source.values():
        refs.append(source_reference(source, request, accessed=accessed, sections=sections))
    return refs


# -- the formats --------------------------------------------------------------------------------


def formatted(ref: Reference) -> str:
    """The citation shown on the page: author, title, the portal and its version, URL, access."""
    parts = [ref.author + (f" ({ref.issued[:4]})" if ref.issued and ref.kind == "document" else "") + "."]
    title = f"“{ref.title}”"
    if ref.genre:
        title += f" [{ref.genre}]"
    parts.append(title + ".")
    if ref.kind == "record":
        portal = PORTAL_NAME
        if ref.version:
            portal += ", " + gettext("version %(version)s") % {"version": ref.version}
        parts.append(portal + ".")
    parts.append(ref.url + ".")
    if ref.kind == "document" and ref.portal_url != ref.url:
        portal = gettext("Record in the %(portal)s") % {"portal": PORTAL_NAME}
        if ref.version:
            portal += ", " + gettext("version %(version)s") % {"version": ref.version}
        parts.append(f"{portal}: {ref.portal_url}.")
    # The date in the language's own format (wps_portal/formats: "2 December 2026" in English).
    # Translators: where the date format ends with a full stop ("2. децембар 2026."), leave out
    # the closing one.
    parts.append(gettext("Accessed %(date)s.") % {"date": date_format(ref.accessed, "DATE_FORMAT")})
    return " ".join(parts)


def _sections_note(ref: Reference) -> str:
    if not ref.sections:
        return ref.note
    quoted = gettext("Sections quoted: %(sections)s.") % {"sections": "; ".join(ref.sections)}
    return f"{ref.note} {quoted}".strip() if ref.note else quoted


def csl_items(refs: list[Reference]) -> list[dict]:
    """CSL-JSON items (the schema's csl-data.json)."""
    items = []
    for ref in refs:
        item = {
            "id": ref.id,
            "type": "webpage" if ref.kind == "record" else "report",
            "title": ref.title,
            "author": [{"literal": ref.author}],
            "publisher": ref.publisher,
            "URL": ref.url,
            "accessed": {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]},
        }
        if ref.date_parts:
            item["issued"] = {"date-parts": [ref.date_parts]}
        if ref.genre:
            item["genre"] = ref.genre
        if ref.container:
            item["container-title"] = ref.container
        if ref.version and ref.kind == "record":
            item["version"] = ref.version
        if ref.sections:
            item["section"] = "; ".join(ref.sections)
        note = _sections_note(ref)
        if ref.kind == "document" and ref.portal_url != ref.url:
            note = " ".join(part for part in (note, ref.portal_url) if part)
        if note:
            item["note"] = note
        items.append(item)
    return items


_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text)


def bibtex(refs: list[Reference]) -> str:
    """BibTeX entries (@misc, with BibLaTeX's urldate and version): one per reference."""
    entries = []
    for ref in refs:
        fields = [
            ("author", "{" + bibtex_escape(ref.author) + "}"),  # double braces: a corporate name
            ("title", bibtex_escape(ref.title)),
        ]
        if ref.container:
            fields.append(("howpublished", bibtex_escape(ref.container)))
        if ref.publisher:
            fields.append(("publisher", bibtex_escape(ref.publisher)))
        if ref.date_parts:
            fields.append(("year", str(ref.date_parts[0])))
            if len(ref.date_parts) > 1:
                fields.append(("month", str(ref.date_parts[1])))
            fields.append(("date", ref.issued))
        if ref.version and ref.kind == "record":
            fields.append(("version", bibtex_escape(ref.version)))
        fields.append(("url", ref.url))
        fields.append(("urldate", ref.accessed.isoformat()))
        note = _sections_note(ref)
        if ref.genre:
            note = f"{ref.genre}. {note}".strip()
        if note:
            fields.append(("note", bibtex_escape(note)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{ref.id},\n{body}\n}}\n")
    return "\n".join(entries)


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris(refs: list[Reference]) -> str:
    """RIS records: ELEC (a web page) for a record, RPRT (a report) for a source document."""
    lines = []
    for ref in refs:
        lines.append(_ris_line("TY", "ELEC" if ref.kind == "record" else "RPRT"))
        lines.append(_ris_line("ID", ref.id))
        lines.append(_ris_line("AU", ref.author))
        lines.append(_ris_line("TI", ref.title))
        if ref.container:
            lines.append(_ris_line("T2", ref.container))
        if ref.publisher:
            lines.append(_ris_line("PB", ref.publisher))
        if ref.date_parts:
            lines.append(_ris_line("PY", str(ref.date_parts[0])))
            parts = [f"{p:02d}" for p in ref.date_parts[1:]]
            lines.append(_ris_line("DA", "/".join([str(ref.date_parts[0]), *parts]) + "/"))
        if ref.version and ref.kind == "record":
            lines.append(_ris_line("ET", ref.version))
        if ref.sections:
            lines.append(_ris_line("SE", "; ".join(ref.sections)))
        lines.append(_ris_line("UR", ref.url))
        if ref.kind == "document" and ref.portal_url != ref.url:
            lines.append(_ris_line("UR", ref.portal_url))
        lines.append(_ris_line("Y2", ref.accessed.strftime("%Y/%m/%d")))
        if ref.genre:
            lines.append(_ris_line("M3", ref.genre))
        if ref.note:
            lines.append(_ris_line("N1", ref.note))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


@dataclass(frozen=True)
class CiteFormat:
    name: str  # the ?format= value
    label: object  # shown on the page
    media_type: str
    extension: str
    render: object
    description: object = ""

    def body(self, refs: list[Reference]) -> str:
        if self.render is csl_items:
            return json.dumps(csl_items(refs), ensure_ascii=False, indent=2) + "\n"
        return self.render(refs)


CITE_FORMATS = {
    f.name: f
    for f in (
        CiteFormat(
            "csl-json",
            _("CSL-JSON"),
            "application/vnd.citationstyles.csl+json",
            "json",
            csl_items,
            _("citation for Zotero, Mendeley, pandoc and other CSL processors"),
        ),
        CiteFormat("bibtex", _("BibTeX"), "application/x-bibtex", "bib", bibtex, _("citation for LaTeX")),
        CiteFormat(
            "ris",
            _("RIS"),
            "application/x-research-info-systems",
            "ris",
            ris,
            _("citation for EndNote, Zotero and other reference managers"),
        ),
    )
}


def cite_response(obj, request, name: str) -> HttpResponse:
    """``obj``'s references in the format ``name`` (a key of CITE_FORMATS), as a download."""
    cite_format = CITE_FORMATS[name]
    refs = references(obj, request)
    response = HttpResponse(
        cite_format.body(refs).encode("utf-8"), content_type=f"{cite_format.media_type}; charset=utf-8"
    )
    filename = f"{slugify(refs[0].id) or 'citation'}.{cite_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- downloads of a record: the API's formats for it, and the citation formats ----------------


@dataclass(frozen=True)
class Download:
    label: object
    media_type: str
    url: str
    description: object = ""
    cite: bool = False  # a citation format (offered under "Cite this" too)


@lru_cache(maxsize=1)
def _api_details() -> dict:
    """model -> (URL name, viewset) of its API detail, read from the API's router (the one
    declaration of the API's resources)."""
    details = {}

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):  # an include() inside the API
                walk(pattern.url_patterns)
                continue
            viewset = getattr(pattern.callback, "cls", None)
            actions = getattr(pattern.callback, "actions", None) or {}
            if viewset is None or actions.get("get") != "retrieve" or not pattern.name:
                continue
            model = viewset.serializer_class.Meta.model
            details.setdefault(model, (f"api:{pattern.name}", viewset))

    for resolver in get_resolver().url_patterns:
        if getattr(resolver, "namespace", None) == "api":
            walk(resolver.url_patterns)
    return details


def _detail_formats(viewset) -> list:
    """The renderers the API offers for one record (JSON, and any other format it serves for a
    single record: IATI XML for an activity…), except the browsable HTML."""
    view = viewset()
    view.action, view.request, view.format_kwarg, view.args, view.kwargs = "retrieve", None, None, (), {}
    return [r for r in view.get_renderers() if r.format not in ("api", "html")]


# How the API's formats are named on a record's page (a format not listed: its name in capitals).
FORMAT_LABELS = {
    "json": (_("JSON"), _("the record as the API gives it")),
    "csv": (_("CSV"), _("the record as a spreadsheet row")),
    "iati": (_("IATI XML"), _("the record as IATI activity XML (IATI Standard 2.03)")),
}


def record_downloads(obj, request) -> list[Download]:
    """Every download of ``obj``'s page: the API's formats for it, then the citation formats."""
    from django.urls import reverse

    downloads = []
    api = _api_details().get(type(obj))
    if api is not None:
        name, viewset = api
        lookup = viewset.lookup_field
        url = reverse(name, kwargs={viewset.lookup_url_kwarg or lookup: getattr(obj, lookup)})
        files = [(renderer, f"{url}?format={renderer.format}") for renderer in _detail_formats(viewset)]
        # A file of the record served as an operation of its own (…/<key>/iati/): an extra action.
        basename = name.removesuffix("-detail")
        for extra in viewset.get_extra_actions():
            for renderer_class in (extra.kwargs.get("renderer_classes") or []) if extra.detail else []:
                if renderer_class.format not in ("json", "api", "html"):
                    action_url = reverse(
                        f"{basename}-{extra.url_name}",
                        kwargs={viewset.lookup_url_kwarg or lookup: getattr(obj, lookup)},
                    )
                    files.append((renderer_class, action_url))
        for renderer, file_url in files:
            label, description = FORMAT_LABELS.get(renderer.format, (renderer.format.upper(), ""))
            downloads.append(Download(label, renderer.media_type, _absolute(request, file_url), description))
    path = obj.get_absolute_url()
    for cite_format in CITE_FORMATS.values():
        downloads.append(
            Download(
                cite_format.label,
                cite_format.media_type,
                _absolute(request, f"{path}?{FORMAT_PARAM}={cite_format.name}"),
                cite_format.description,
                cite=True,
            )
        )
    return downloads
