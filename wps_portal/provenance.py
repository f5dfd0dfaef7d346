"""Verifying provenance: every excerpt is in its document, every public record is cited.

Two checks share one matcher (``wps_portal.excerpts.occurs_in``) and one cache of source texts:

- at the door, :func:`verify_excerpt`, called by ``Citation.clean()`` and so by every write that
  validates (admin forms, API serializers, imports, the loader): an excerpt that does not occur in
  an available source text is refused; where the text is not available the citation is stored as
  unverified (``verified_at`` empty) and shown so on every public surface;
- afterwards, :func:`verify_citations` (``manage.py verify_citations``): every stored excerpt
  against its document, and every published record cited.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .excerpts import locate, normalise, occurs_in
from .models import Citation, SourceDocument
from .search import searchable_models

# path -> (modification time in ns, text): each source text is read once per process (and again
# only if the file changes), so a load of hundreds of citations reads each document once.
_texts: dict[str, tuple[int, str]] = {}
# source id -> file name, so checking a citation costs no query for its source (the loader checks
# a thousand); emptied whenever a source document is saved or deleted in this process.
_filenames: dict[int, str] = {}


@receiver([post_save, post_delete], sender=SourceDocument)
def _forget_filenames(**kwargs):
    _filenames.clear()


def _filename(citation: Citation) -> str:
    if Citation.source.is_cached(citation):
        return citation.source.filename
    if citation.source_id not in _filenames:
        _filenames[citation.source_id] = (
            SourceDocument.objects.filter(pk=citation.source_id).values_list("filename", flat=True).first()
            or ""
        )
    return _filenames[citation.source_id]


def source_text(filename: str, sources_dir: Path | str | None = None) -> str | None:
    """The text of a source document's file, or None when it is not available."""
    if not filename:
        return None
    path = Path(settings.SOURCES_DIR if sources_dir is None else sources_dir) / filename
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return None
    cached = _texts.get(str(path))
    if cached is None or cached[0] != mtime:
        try:
            cached = (mtime, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        _texts[str(path)] = cached
    return cached[1]


def verify_excerpt(citation: Citation) -> None:
    """Check a citation's excerpt against its source text before it is saved.

    Found: ``verified_at`` is set to now. Not found in an available text: a ValidationError on
    ``excerpt`` saying so. No text available: the citation is unverified (``verified_at`` empty),
    unless its source and excerpt are those of the stored row, which keeps its earlier check.
    """
    if not citation.source_id or not (citation.excerpt or "").strip():
        return  # the field's own validation reports these
    text = source_text(_filename(citation))
    if text is None:
        stored = (
            Citation.objects.filter(pk=citation.pk)
            .values_list("source_id", "excerpt", "verified_at", "locator")
            .first()
            if citation.pk
            else None
        )
        unchanged = (
            stored is not None
            and stored[0] == citation.source_id
            and normalise(stored[1]) == normalise(citation.excerpt)
        )
        citation.verified_at, citation.locator = stored[2:4] if unchanged else (None, "")
        return
    if not occurs_in(citation.excerpt, text):
        source = citation.source
        raise ValidationError(
            {
                "excerpt": ValidationError(
                    _(
                        "This excerpt does not occur in the text of “%(source)s” (%(key)s). Quote "
                        "the source verbatim: only differences of spacing, quotes and dashes are ignored."
                    ),
                    code="excerpt_not_in_source",
                    params={"source": source.title, "key": source.key},
                )
            }
        )
    citation.verified_at = timezone.now()
    citation.locator = locate(citation.excerpt, text)[: Citation._meta.get_field("locator").max_length]


@dataclass
class Failure:
    record: str
    problem: str
    excerpt: str = ""
    document: str = ""

    def __str__(self):
        parts = [f"{self.record}: {self.problem}"]
        if self.document:
            parts.append(f"document {self.document}")
        if self.excerpt:
            parts.append(f"excerpt “{self.excerpt}”")
        return " — ".join(parts)


@dataclass
class VerificationReport:
    checked: int = 0
    records: int = 0
    failures: list[Failure] = field(default_factory=list)
    # Citations stored unverified (saved where the text was missing) whose excerpt is found now.
    found_unverified: list[Citation] = field(default_factory=list)
    # Verified citations whose stored locator is not where the excerpt is found now (located
    # before the locator existed, or the text's headings changed); ``locator`` holds the new one.
    relocated: list[Citation] = field(default_factory=list)


def _label(content_type: ContentType, object_id: int, instance=None) -> str:
    model = content_type.model_class()
    name = model._meta.verbose_name if model else content_type.model
    key = getattr(instance, "slug", None) or getattr(instance, "pk", object_id)
    return f"{name} {key}"


def mark_verified(citations) -> int:
    """Stamp citations that :func:`verify_citations` just found in their text (with the locator it
    found), through the write path."""
    from . import services

    now = timezone.now()
    for citation in citations:
        citation.verified_at = now
        services.save(citation, validate=False)  # checked a moment ago, maybe against --sources
    return len(citations)


def save_locators(citations) -> int:
    """Store the locators :func:`verify_citations` found for verified citations, through the write path."""
    from . import services

    for citation in citations:
        services.save(citation, validate=False)
    return len(citations)


def verify_citations(sources_dir: Path) -> VerificationReport:
    report = VerificationReport()
    texts: dict[int, str | None] = {}
    for source in SourceDocument.objects.all():
        path = Path(sources_dir) / source.filename
        texts[source.pk] = source_text(source.filename, sources_dir)
        if texts[source.pk] is None:
            report.failures.append(
                Failure(f"source {source.key}", f"file {path} not found", document=source.key)
            )

    citations = Citation.objects.select_related("source", "content_type")
    instances = {}
    for citation in citations:
        report.checked += 1
        document = texts.get(citation.source_id)
        if document is None:
            continue
        if occurs_in(citation.excerpt, document):
            where = locate(citation.excerpt, document)[: Citation._meta.get_field("locator").max_length]
            if citation.verified_at is None:
                citation.locator = where
                report.found_unverified.append(citation)
            elif citation.locator != where:
                citation.locator = where
                report.relocated.append(citation)
        else:
            key = (citation.content_type_id, citation.object_id)
            if key not in instances:
                instances[key] = citation.record
            report.failures.append(
                Failure(
                    _label(citation.content_type, citation.object_id, instances[key]),
                    "excerpt not found in its document",
                    excerpt=citation.excerpt,
                    document=citation.source.key,
                )
            )

    cited = set(Citation.objects.values_list("content_type_id", "object_id"))
    for model in searchable_models():
        content_type = ContentType.objects.get_for_model(model)
        for instance in model.objects.published():
            report.records += 1
            if (content_type.pk, instance.pk) not in cited:
                report.failures.append(
                    Failure(_label(content_type, instance.pk, instance), "has no citation")
                )
    return report
