"""The lowest layer: what every app's records share.

- ``PublicModel``: curation state (status, last_verified) and timestamps, with a queryset whose
  ``published()`` every public surface (pages, search, CSV, API) goes through.
- ``SourceDocument`` and ``Citation``: provenance. A citation attaches to any record through a
  generic relation and quotes a short verbatim excerpt of its source.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Concat, Length, StrIndex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import DatePrecision, Status
from .dates import human_partial, iso_partial
from .search import terms

EXCERPT_MAX_LENGTH = 300

# Lets constraints say excerpt__length__lte=…
models.TextField.register_lookup(Length)


class PublicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def search(self, query: str):
        """Records whose search_text has, for every word of the query, a word starting with it.

        Case- and diacritic-insensitive on every database (both sides are normalised by
        ``wps_portal.search.normalise``). On PostgreSQL the match is a full-text query served by a
        GIN index; elsewhere, equivalent LIKE conditions. Ranked: records where the words appear
        earliest (in the name or title, which come first) rank first.
        """
        words = terms(query)
        if not words:
            return self
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{word}:*" for word in words)  # words are \w+ only
            queryset = self.annotate(_search_vector=search_vector()).filter(
                _search_vector=SearchQuery(tsquery, search_type="raw", config="simple")
            )
        else:
            condition = models.Q()
            for word in words:
                condition &= models.Q(search_text__startswith=word) | models.Q(
                    search_text__contains=f" {word}"
                )
            queryset = self.filter(condition)
        padded = Concat(models.Value(" "), "search_text", output_field=models.TextField())
        rank = sum(
            (StrIndex(padded, models.Value(f" {word}")) for word in words),
            start=models.Value(0),
        )
        return queryset.annotate(search_rank=rank).order_by("search_rank", "pk")


def search_vector():
    """The expression the PostgreSQL GIN index is built on (see the search_index migrations)."""
    return SearchVector("search_text", config="simple")


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimestampedModel):
    """A record shown to the public once a curator publishes it."""

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    last_verified = models.DateField(
        null=True, blank=True, help_text=_("When a curator last checked this record against its sources.")
    )
    citations = GenericRelation("wps_portal.Citation")
    # Lower-cased, accent-free text of every searchable field (names, aliases, acronyms, summary),
    # kept up to date by wps_portal.search.refresh_search_text; the search box queries it.
    search_text = models.TextField(blank=True, editable=False)

    objects = PublicQuerySet.as_manager()

    def search_parts(self) -> list[str]:
        """The texts that make this record findable, most important first."""
        return [str(self)]

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def refresh_search_text(self):
        """Recompute this record's search_text after a curator's edit (admin or API)."""
        from .search import document_for

        self.search_text = document_for(self)
        type(self)._default_manager.filter(pk=self.pk).update(search_text=self.search_text)


def public_records(model):
    """The records of ``model`` the public may see: published ones; for a record without a status
    of its own (a case study's result, a programme's phase), those whose parents are published."""
    manager = model._default_manager
    if issubclass(model, PublicModel):
        return manager.published()
    condition = models.Q()
    for field in model._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, PublicModel):
            condition &= models.Q(**{f"{field.name}__isnull": True}) | models.Q(
                **{f"{field.name}__status": Status.PUBLISHED}
            )
    return manager.filter(condition)


def published_q(model, paths) -> models.Q:
    """The condition that every public record on the lookup ``paths`` is published, e.g. for
    Partner and "participations__activity__programme__slug": the activity and the programme.

    Spelled as conditions on the related records' status column (``partner__status=…``), which
    join by primary key: ``partner__in=Partner.objects.published()`` means the same but costs SQLite
    about 20 million index probes per 1,000 rows at 20,000 partners."""
    condition = models.Q()
    for path in paths:
        current, parts = model, path.split(LOOKUP_SEP)
        for i, part in enumerate(parts):
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not field.is_relation:
                break
            current = field.related_model
            if issubclass(current, PublicModel):
                condition &= models.Q(**{f"{LOOKUP_SEP.join(parts[: i + 1])}__status": Status.PUBLISHED})
    return condition


def published_prefetch(
    lookup: str, queryset, *through: str, to_attr: str | None = None, limit: int | None = None
) -> Prefetch:
    """The one published-only prefetch, for pages and API alike: the related rows of ``lookup``
    the public may see. ``queryset`` (of the related model) keeps its published records if the
    model has a status (its own ``published()``, which may add rules: a lesson's owner…), and the
    rows whose records on the ``through`` paths are published (a participation's ``partner``);
    ``limit``: at most this many per record, in the queryset's order (one window-function query)."""
    if issubclass(queryset.model, PublicModel):
        queryset = queryset.published()
    if through:
        queryset = queryset.filter(published_q(queryset.model, through))
    if limit is not None:
        queryset = queryset[:limit]
    return Prefetch(lookup, queryset=queryset, to_attr=to_attr)


class SourceDocument(TimestampedModel):
    """One of the public documents the knowledge base is built from."""

    key = models.SlugField(max_length=80, unique=True, help_text=_("Stable key used in citations."))
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR)
    date_note = models.CharField(
        max_length=200, blank=True, help_text=_("When the date is inferred, say how (e.g. 'after 2015').")
    )
    filename = models.CharField(
        max_length=200, help_text=_("File name of the text in the sources folder, used to verify excerpts.")
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_precision__in=DatePrecision.values),
                name="wps_portal_sourcedocument_precision_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.key,)

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"key": self.key})

    @property
    def date_iso(self):
        return iso_partial(self.date, self.date_precision)

    @property
    def date_display(self):
        return human_partial(self.date, self.date_precision) or self.date_note


def cited_models():
    """Every model whose records carry citations."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if any(isinstance(f, GenericRelation) and f.name == "citations" for f in model._meta.private_fields)
    ]


class CitationQuerySet(models.QuerySet):
    def public(self):
        """Citations of records the public may see (see ``public_records``)."""
        condition = models.Q(pk__in=[])
        for model in cited_models():
            condition |= models.Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=public_records(model).values("pk"),
            )
        return self.filter(condition)

    def with_records(self):
        """Public citations with the record each supports (one query per kind of record), and the
        records' parents (for their names and URLs)."""
        from django.contrib.contenttypes.prefetch import GenericPrefetch

        querysets = []
        for model in cited_models():
            parents = [
                f.name
                for f in model._meta.concrete_fields
                if f.many_to_one and f.related_model is not ContentType
            ]
            querysets.append(public_records(model).select_related(*parents))
        return (
            self.public()
            .select_related("content_type")
            .prefetch_related(GenericPrefetch("record", querysets))
        )


class Citation(TimestampedModel):
    """A verbatim excerpt of a source document that supports a record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(
        help_text=_("Verbatim text of the source, at most %(n)d characters.") % {"n": EXCERPT_MAX_LENGTH}
    )
    section = models.CharField(max_length=300, blank=True, help_text=_("Heading of the section quoted."))
    order = models.PositiveSmallIntegerField(default=0)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "order", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(excerpt__length__gt=0) & models.Q(excerpt__length__lte=EXCERPT_MAX_LENGTH),
                name="wps_portal_citation_excerpt_length",
            ),
        ]

    def __str__(self):
        return f"{self.source.key}: “{self.excerpt[:60]}…”"
