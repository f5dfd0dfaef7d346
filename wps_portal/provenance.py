"""Verifying provenance: every excerpt is in its document, every public record is cited."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from .excerpts import occurs_in
from .models import Citation, SourceDocument
from .search import searchable_models


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


def _label(content_type: ContentType, object_id: int, instance=None) -> str:
    model = content_type.model_class()
    name = model._meta.verbose_name if model else content_type.model
    key = getattr(instance, "slug", None) or getattr(instance, "pk", object_id)
    return f"{name} {key}"


def verify_citations(sources_dir: Path) -> VerificationReport:
    report = VerificationReport()
    texts: dict[int, str | None] = {}
    for source in SourceDocument.objects.all():
        path = Path(sources_dir) / source.filename
        texts[source.pk] = path.read_text(encoding="utf-8") if path.is_file() else None
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
        if not occurs_in(citation.excerpt, document):
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
