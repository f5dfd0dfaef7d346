"""The lowest layer: what every app's records share.

- ``PublicModel``: curation state (status, last_verified) and timestamps, with a queryset whose
  ``published()`` every public surface (pages, search, CSV, API) goes through.
- ``SourceDocument`` and ``Citation``: provenance. A citation attaches to any record through a
  generic relation and quotes a short verbatim excerpt of its source.
"""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import DatePrecision, Status
from .dates import human_partial, iso_partial
from .history import curated_history

EXCERPT_MAX_LENGTH = 300

# Lets constraints say excerpt__length__lte=…
models.TextField.register_lookup(Length)


class SearchableQuerySet(models.QuerySet):
    def search(self, query: str):
        """The records matching ``query`` in the search engine (``wps_portal.search``), best first.

        The same engine as the search page: stemming, stop words, phrases, ``-word``, ``OR``, the
        thesaurus, transliteration and typo tolerance. Records matching most (not all) of the
        words are kept, ranked below those matching all. The relevance order is the annotation
        ``search_rank`` (0 is best), so ``?ordering=relevance`` can ask for it after other sorts.
        """
        from .search import engine

        return engine.filter_queryset(self, query)


class PublicQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """What ``user`` may see: published records (``published()``, the one published-only rule),
        or, for curators who may view this model (``may_preview``), every record, so a draft can be
        previewed on its page (marked as a draft there) and read in the API."""
        if may_preview(user, self.model):
            return self
        return self.published()

    def not_verified_within(self, *, days: int):
        """Records nobody has checked against their sources in ``days`` days, or ever."""
        since = datetime.date.today() - datetime.timedelta(days=days)
        return self.filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=since))


def may_preview(user, model) -> bool:
    """Whether ``user`` sees unpublished ``model`` records (on the pages and in the API): curators
    who may view or change the model in the admin. Everyone else sees ``published()`` only."""
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


class TimestampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimestampedModel):
    """A record shown to the public once a curator publishes it."""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("When a curator last checked this record against its sources."),
    )
    citations = GenericRelation("wps_portal.Citation")
    # Lower-cased, accent-free text of every searchable field (names, aliases, acronyms, summary),
    # kept up to date by wps_portal.search.refresh_search_text; the search box queries it.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = PublicQuerySet.as_manager()

    # Related records the search index reads (prefetched when the whole index is rebuilt).
    search_prefetch: tuple = ("citations",)

    def search_parts(self) -> dict[str, list[str]]:
        """The texts that make this record findable, by weight: "A" names, acronyms and aliases,
        "B" titles, "C" summaries, descriptions and texts, "D" excerpts, outputs and the names of
        related records. See ``wps_portal.search.index``."""
        return {"A": [str(self)], "D": self.excerpts()}

    def excerpts(self) -> list[str]:
        return [c.excerpt for c in self.citations.all()]

    def search_year(self) -> int | None:
        """The year the search page's year facet files this record under."""
        return None

    def search_countries(self) -> list[str]:
        """The ISO codes the search page's country facet files this record under."""
        return []

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("The status must be draft or published."),
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def refresh_search_text(self):
        """Recompute this record's search text and index entry after an edit (admin, API, import)."""
        from .search.index import index_record

        index_record(self)


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

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=_("Stable key used in citations."))
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    date_note = models.CharField(
        _("date note"),
        max_length=200,
        blank=True,
        help_text=_("When the date is inferred, say how (e.g. 'after 2015')."),
    )
    filename = models.CharField(
        _("filename"),
        max_length=200,
        help_text=_("File name of the text in the sources folder, used to verify excerpts."),
    )
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(
        _("url"),
        max_length=500,
        blank=True,
        help_text=_(
            "Where the document can be read online, if known: only an address whose text is the "
            "document's (leave empty rather than guess)."
        ),
    )

    history = curated_history()
    objects = SearchableQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_precision__in=DatePrecision.values),
                name="wps_portal_sourcedocument_precision_valid",
                violation_error_message=_("The date's precision must be year, month or day."),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.key,)

    # -- search (a source document is a kind of search result; see wps_portal.search.index)
    search_prefetch: tuple = ()

    def search_parts(self):
        return {"B": [self.title], "C": [self.publisher, self.description, self.date_note]}

    def search_year(self):
        return self.date.year if self.date else None

    def search_countries(self):
        return []

    def refresh_search_text(self):
        from .search.index import index_record

        index_record(self)

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

    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    record = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(
        SourceDocument, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    excerpt = models.TextField(
        _("excerpt"),
        help_text=_("Verbatim text of the source, at most %(n)d characters.") % {"n": EXCERPT_MAX_LENGTH},
    )
    section = models.CharField(
        _("section"), max_length=300, blank=True, help_text=_("Heading of the section quoted.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Set with verified_at, from the source text's headings (wps_portal.excerpts.locate): where in
    # the document the excerpt was found. The texts have no page numbers, so this is the section.
    locator = models.CharField(
        _("locator"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("The section of the source where the excerpt was found, from its headings."),
    )
    # Set by wps_portal.provenance.verify_excerpt (called from clean(), so on every save through the
    # admin, the API, an import or the loader): when the excerpt was last found in its source's
    # text. Empty: unverified, because the text was not available where it was saved.
    verified_at = models.DateTimeField(
        _("verified at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the excerpt was last found in the source text; empty: not yet checked."),
    )

    objects = CitationQuerySet.as_manager()

    history = curated_history()

    class Meta:
        ordering = ["content_type", "object_id", "order", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(excerpt__length__gt=0) & models.Q(excerpt__length__lte=EXCERPT_MAX_LENGTH),
                name="wps_portal_citation_excerpt_length",
                violation_error_message=_(
                    "An excerpt is at most 300 characters of the source, quoted verbatim, and cannot be empty. Shorten it to the sentence that supports the record."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.source.key}: “{self.excerpt[:60]}…”"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def clean(self):
        super().clean()
        from .provenance import verify_excerpt

        # An empty or over-long excerpt is refused by its length constraint, whose sentence says
        # what to do; an error here would hide it (Django skips the constraints of a field in error).
        if 0 < len(self.excerpt or "") <= EXCERPT_MAX_LENGTH:
            verify_excerpt(self)


class LoadedRecord(models.Model):
    """What the corpus loader last stated for one record: the canonical document it applied,
    and where the fixtures state it. Comparing fixtures, this and the database tells a curator's
    edit from the loader's own (README, "Who owns the data")."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=400, help_text=_("The record's natural key."))
    file = models.CharField(max_length=300, help_text=_("The fixture file that states it."))
    position = models.PositiveIntegerField(default=0, help_text=_("Its place in that file (or list)."))
    stated_on = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The record it is written inside, if any (a partner's relations)."),
    )
    values = models.JSONField(help_text=_("The fixture values the last load stated."))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                name="wps_portal_loadedrecord_unique",
                violation_error_message=_(
                    "The loader keeps one entry per record: this kind and key has one."
                ),
            )
        ]
        verbose_name = _("loaded record")

    def __str__(self):
        return f"{self.kind} {self.key}"


class Curation(models.Model):
    """No table: the home of the curation permissions that are not about one model.

    ``publish_record`` lets a user publish and unpublish any public record (the admin actions, the
    status field of a form, the API); ``revert_record`` lets a user revert a record to an earlier
    version or restore a deleted one. One permission each rather than one per model: curators'
    roles are the same across every kind of record (see ``wps_portal.roles``).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("publish_record", _("Can publish and unpublish records")),
            ("revert_record", _("Can revert records to an earlier version and restore deleted ones")),
        ]

    def __str__(self):
        return "curation"


class SearchEntry(models.Model):
    """One record in the search index: its texts tokenised by ``wps_portal.search.text`` (folded,
    transliterated, stemmed), one column per weight, plus what the search page's facets need.

    The database's own full-text machinery reads these columns (``migration_operations.
    CreateSearchEngine``): an FTS5 table kept in step by triggers on SQLite; a weighted tsvector
    column kept by a trigger, with a GIN index, on PostgreSQL. Written only by
    ``wps_portal.search.index``."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    a = models.TextField(blank=True)
    b = models.TextField(blank=True)
    c = models.TextField(blank=True)
    d = models.TextField(blank=True)
    # The texts a snippet is cut from (summaries, excerpts, outputs, other names), as written.
    text = models.TextField(blank=True)
    # The record's distinct folded words (unstemmed), for the vocabulary of suggestions.
    words = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    countries = models.CharField(max_length=200, blank=True, help_text=_('" XK BA ": spaces around each'))

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"

    class Meta:
        verbose_name_plural = "search entries"
        # The search engine's test of a match's kind, and its counts by kind, year and country on
        # the broad path, read this index, not the long row (on SQLite those columns come after
        # the texts; engine.KIND_INDEX).
        indexes = [
            models.Index(
                fields=["id", "content_type", "object_id", "year", "countries"],
                name="wps_portal_searchentry_kind",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="wps_portal_searchentry_unique",
                violation_error_message=_(
                    "A record has one search index entry, and this one has it already."
                ),
            ),
        ]


class SearchWord(models.Model):
    """The vocabulary of published records: a folded word, its stem and how many records hold it.

    Completes the word being typed (prefixes), corrects typos (trigram similarity: pg_trgm's
    on PostgreSQL where the extension exists, the same measure in Python elsewhere) and weighs
    the words of a question by how rare they are."""

    word = models.CharField(max_length=100, unique=True)
    stem = models.CharField(max_length=100, db_index=True)
    records = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.word
