"""The base serializer of every API resource, and the serializers of the lowest layer.

As in NetBox, one serializer per model serves three shapes:

- full: every declared field (a detail, a list row, a write);
- chosen: ``?fields=`` / ``?omit=`` keep or drop fields (the view passes ``fields=``);
- brief: ``brief_fields`` only, for ``?brief=1`` and for a related record shown inside another
  (``PartnerSerializer(nested=True)``). A nested serializer also *accepts* the related record's
  natural key on writes: ``"country": "XK"``, ``"programme": "unifem-1325-see"``.

Each serializer declares what its fields read from related tables (``select`` and ``prefetch``),
so the view fetches exactly what the chosen fields need, in a constant number of queries.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from wps_portal import services
from wps_portal.choices import Status
from wps_portal.dates import parse_partial_date
from wps_portal.models import EXCERPT_MAX_LENGTH, Citation, SourceDocument


def citations_prefetch(path="citations"):
    return Prefetch(path, queryset=Citation.objects.select_related("source"))


# A key made of a slug's characters is in a URL as it is (reverse() quotes none of them, and the
# API's routes take any: [^/]+), so its path is a template's, reversed once per prefix. Others
# (a source key with a colon, a name with spaces) are reversed as they come.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY = "__key__"


@functools.lru_cache(maxsize=256)
def _path_around_key(prefix, language, urlconf, view_name, kwarg):
    del prefix, language  # in the cache key only: reverse() reads them from the thread
    path = reverse(view_name, urlconf=urlconf, kwargs={kwarg: _KEY} if kwarg else None)
    return tuple(path.split(_KEY, 1)) if kwarg else (path, "")


def api_path(view_name, kwarg=None, value=None) -> str:
    """``reverse(view_name, kwargs={kwarg: value})`` (no kwargs without ``kwarg``), without
    resolving the URL pattern again on every row of a page. (The template is kept per script
    prefix, language and URLconf, so a page's URL under its language prefix would be right too.)"""
    if kwarg is None:
        return _path_around_key(get_script_prefix(), get_language(), get_urlconf(), view_name, None)[0]
    text = str(value)
    if not isinstance(value, str | int) or isinstance(value, bool) or not _PLAIN_KEY.fullmatch(text):
        return reverse(view_name, kwargs={kwarg: value})
    try:
        head, tail = _path_around_key(get_script_prefix(), get_language(), get_urlconf(), view_name, kwarg)
    except NoReverseMatch:  # the route's own lookup refuses the placeholder: reverse each time
        return reverse(view_name, kwargs={kwarg: value})
    return f"{head}{text}{tail}"


class DetailUrlField(serializers.HyperlinkedIdentityField):
    """The record's API URL, plain: without the request's ?format= (which DRF would carry over,
    putting ``?format=csv`` in every url cell of a CSV export).

    DRF's field assigns its own ``reverse`` to the instance in ``__init__`` (shadowing any override
    on the class), so the URL is built here in ``get_url``, with Django's ``reverse``."""

    def get_url(self, obj, view_name, request, format):
        lookup_value = getattr(obj, self.lookup_field, None)
        if lookup_value in (None, ""):
            return None
        path = api_path(view_name, self.lookup_url_kwarg, lookup_value)
        return request.build_absolute_uri(path) if request else path


def detail_url(basename, lookup_field="slug"):
    return DetailUrlField(view_name=f"api:{basename}-detail", lookup_field=lookup_field)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class HtmlUrlField(serializers.Field):
    """The record's page on the public site (``get_absolute_url()``), absolute."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        try:
            path = value.get_absolute_url()
        except NoReverseMatch:  # the site does not serve this kind of record (yet)
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "string", "format": "uri"})
class ListUrlField(serializers.Field):
    """The API list of related records, e.g. a partner's activities: /api/v1/activities/?partner=…"""

    def __init__(self, basename, param, lookup_field="slug", **kwargs):
        self.basename, self.param, self.lookup = basename, param, lookup_field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        path = f"{api_path(f'api:{self.basename}-list')}?{self.param}={getattr(value, self.lookup)}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "description": "A date at the precision known: YYYY, YYYY-MM or YYYY-MM-DD.",
        "example": "2010-06",
    }
)
class PartialDateField(serializers.Field):
    """A partial date stored as (first day, precision); read and written as "2010", "2010-06"…"""

    def __init__(self, date_field, precision_field, **kwargs):
        self.date_field, self.precision_field = date_field, precision_field
        kwargs.update(source="*", required=False, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        from wps_portal.dates import iso_partial

        return iso_partial(getattr(value, self.date_field), getattr(value, self.precision_field))

    def validate_empty_values(self, data):
        if data is None:
            return True, {self.date_field: None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        try:
            date, precision = parse_partial_date(str(data))
        except ValueError as error:
            raise serializers.ValidationError(
                _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2010-06.")
            ) from error
        return {self.date_field: date, self.precision_field: precision}


LINK_FIELDS = (serializers.HyperlinkedIdentityField, HtmlUrlField, ListUrlField)


class RefusesUnknownInput:
    # Input is never dropped silently: a key the serializer does not write is a 400 naming it.
    # DRF ignores unknown keys and values of read-only fields; here an unknown key, or a value for
    # a read-only field (a partner's relations, a case study's results), is refused instead. The
    # record's links (url, html_url, …_url) are derived and may be sent back as they were read.
    # (A comment, not a docstring: drf-spectacular would show a docstring as every schema's text.)

    def to_internal_value(self, data):
        if isinstance(data, dict) and not getattr(self, "nested", False):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            errors = {}
            for key in data:
                field = self.fields.get(key)
                if field is None:
                    errors[key] = [
                        _("Unknown field. Fields accepted here: %(fields)s.")
                        % {"fields": ", ".join(writable)}
                    ]
                elif field.read_only and not isinstance(field, LINK_FIELDS):
                    errors[key] = [_("Read-only: not accepted on writes, so not saved.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def require(attrs: dict, *names: str) -> dict:
    """A child row of a list must be whole even in a PATCH (where DRF skips missing fields)."""
    missing = {name: [_("This field is required.")] for name in names if name not in attrs}
    if missing:
        raise serializers.ValidationError(missing)
    return attrs


class BaseSerializer(RefusesUnknownInput, serializers.ModelSerializer):
    brief_fields: tuple[str, ...] = ()
    lookup_field = "slug"  # the natural key: how related records are named on writes
    # What each field reads from related tables: {field: (select_related paths)} and
    # {field: (prefetch_related paths or Prefetch objects)}.
    select: dict[str, tuple] = {}
    prefetch: dict[str, tuple] = {}

    def __init__(self, *args, nested=False, fields=None, **kwargs):
        self.nested = nested
        super().__init__(*args, **kwargs)
        keep = self.brief_fields if nested else fields
        if keep is not None:
            for name in [name for name in self.fields if name not in keep]:
                self.fields.pop(name)

    def get_fields(self):
        fields = super().get_fields()
        if not self.nested:  # a nested (brief) record never expands, so nothing recurses
            fields.update(self.expanded_fields())
        return fields

    def expanded_fields(self) -> dict:
        """Fields built per instance: related records shown with a serializer defined later in
        the module, or with this very serializer (a partner's parent). Only the full form has them."""
        return {}

    # -- which fields, and what they need -----------------------------------------------------

    @classmethod
    def field_names(cls) -> list[str]:
        """The full form's field names, built once per class (building the field tree is costly)."""
        return list(_field_names(cls))

    @classmethod
    def eager_load(cls, queryset, fields=None):
        """The queryset with the joins and prefetches the given fields (default: all) need."""
        fields = cls.field_names() if fields is None else fields
        selects = [path for name in fields for path in cls.select.get(name, ())]
        prefetches = [path for name in fields for path in cls.prefetch.get(name, ())]
        if selects:
            queryset = queryset.select_related(*selects)
        if prefetches:
            queryset = queryset.prefetch_related(*prefetches)
        return queryset

    # -- nested: shown brief, written as a natural key ----------------------------------------

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if self.nested and getattr(value, "status", Status.PUBLISHED) != Status.PUBLISHED:
            return None  # a related draft is not shown
        return value

    def run_validation(self, data=empty):
        if not self.nested:
            return super().run_validation(data)
        is_empty, data = self.validate_empty_values(data)
        if is_empty:
            return data
        if isinstance(data, dict):
            data = data.get(self.lookup_field)
        if not isinstance(data, str | int) or isinstance(data, bool):
            raise serializers.ValidationError(
                _("Give the %(key)s of the related record.") % {"key": self.lookup_field}
            )
        model = self.Meta.model
        try:
            return model._default_manager.get(**{self.lookup_field: data})
        except (model.DoesNotExist, ValueError, TypeError):
            raise serializers.ValidationError(
                _("No %(kind)s with %(key)s %(value)r.")
                % {"kind": model._meta.verbose_name, "key": self.lookup_field, "value": data}
            ) from None

    # -- writes ----------------------------------------------------------------------------------

    def write_related(self, instance, related: dict) -> list:
        """Save the child rows written with the record (participants, aliases, outputs…): each
        key of ``related`` that the serializer accepts must be written here. Returns the rows
        written, so the write path does what their write implies (the parent's search text)."""
        return []

    @staticmethod
    def replace_rows(related_manager, items: list[dict]) -> list:
        """Replace the rows of a reverse relation (an activity's participations) with ``items``."""
        related_manager.all().delete()
        model, owner = related_manager.model, {related_manager.field.name: related_manager.instance}
        return model.objects.bulk_create(model(**owner, **item) for item in items)

    def _split(self, validated_data):
        """(forward many-to-many values, values of lists saved by write_related); both popped."""
        opts = self.Meta.model._meta
        columns = {field.name for field in opts.concrete_fields}
        many_names = {field.name for field in opts.many_to_many}
        many = {name: validated_data.pop(name) for name in list(validated_data) if name in many_names}
        related = {name: validated_data.pop(name) for name in list(validated_data) if name not in columns}
        return many, related

    def _save(self, instance, validated_data):
        many, related = self._split(validated_data)
        original_status = getattr(instance, "status", None) if instance.pk else None
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            if "status" in validated_data:
                services.check_status_change(original_status, validated_data["status"])
            instance.full_clean(exclude=list(many) + list(related))
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): value
                    for key, value in error.message_dict.items()
                }
            ) from None
        with transaction.atomic():
            instance.save()
            for name, value in many.items():
                # through-less many-to-many only (those with intermediate models go to related)
                getattr(instance, name).set(value)
            rows = []
            if "citations" in related:
                rows += write_citations(instance, related.pop("citations"))
            rows += self.write_related(instance, related) or []
            # The lists read before the write (prefetched by get_queryset) are stale now.
            getattr(instance, "_prefetched_objects_cache", {}).clear()
            services.changed(instance, *rows)  # findable at once, with its new names and aliases
        return instance

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


@functools.cache
def _field_names(serializer_class) -> tuple[str, ...]:
    return tuple(serializer_class().fields)


# -- reads from a serializer tree built once ---------------------------------------------------

# Idle trees by (class, fields, many), the least recently used first. A tree is out of the pool
# while a thread uses it, so no two requests share one; past IDLE_TREES (a tree is 100–260 KiB)
# the least recently used are dropped.
_idle: OrderedDict[tuple, list] = OrderedDict()
_idle_lock = threading.Lock()
_idle_count = 0
IDLE_TREES = 48


def represent(serializer_class, instance, *, context: dict, fields=None, many: bool = False):
    """``serializer_class(instance, many=many, fields=fields, context=context).data``, from a
    serializer tree built once and reused by later requests.

    Building the tree (a field object per field of every nested serializer, deep-copied from the
    class's declarations, ModelSerializer's field mapping) costs more than serialising a page of
    records. Nothing in the tree depends on the request but its context (the request, for
    absolute URLs), set here on the root, which every field reads it from; nor on the language
    (translated fields are read from the record, in the language active then). Reads only: the
    tree is never validated or saved with, and it keeps neither the records nor the request once
    their data is made (the data's ``.serializer`` is not for reading after that)."""
    global _idle_count
    key = (serializer_class, many, None if fields is None else tuple(fields))
    with _idle_lock:
        trees = _idle.get(key)
        serializer = trees.pop() if trees else None
        if serializer is not None:
            _idle_count -= 1
    if serializer is None:
        serializer = serializer_class(many=many, fields=fields, context={})
    serializer._context, serializer.instance = context, instance
    try:
        return serializer.data
    finally:
        serializer._context, serializer.instance = {}, None
        serializer.__dict__.pop("_data", None)
        with _idle_lock:
            _idle.setdefault(key, []).append(serializer)
            _idle.move_to_end(key)
            _idle_count += 1
            while _idle_count > IDLE_TREES:
                oldest = next(iter(_idle))
                _idle[oldest].pop()
                _idle_count -= 1
                if not _idle[oldest]:
                    del _idle[oldest]


class SourceDocumentSerializer(BaseSerializer):
    url = detail_url("source", "key")
    # Where the document itself can be read online (null: not known); ``url`` is its API address.
    document_url = serializers.SerializerMethodField()
    html_url = HtmlUrlField()
    date = PartialDateField("date", "date_precision", read_only=True)
    lookup_field = "key"
    brief_fields = ("key", "title", "url")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_document_url(self, source) -> str | None:
        return source.url or None

    class Meta:
        model = SourceDocument
        fields = [
            "key",
            "title",
            "publisher",
            "date",
            "date_precision",
            "date_note",
            "description",
            "document_url",
            "url",
            "html_url",
        ]


class CitationSerializer(RefusesUnknownInput, serializers.ModelSerializer):
    """A citation: shown with its source's brief form, written with the source's key. On a write
    the excerpt is checked against the source text (``Citation.clean``); ``verified`` says whether
    it was found there (false: the text was not available where it was saved)."""

    source = SourceDocumentSerializer(nested=True)
    excerpt = serializers.CharField(max_length=EXCERPT_MAX_LENGTH)
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "excerpt", "section", "locator", "verified", "verified_at"]
        read_only_fields = ["locator", "verified_at"]

    def validate(self, attrs):
        citation = Citation(**require(attrs, "source", "excerpt"))
        try:
            citation.full_clean(exclude=["content_type", "object_id", "order"], validate_constraints=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return {**attrs, "verified_at": citation.verified_at, "locator": citation.locator}


def write_citations(record, items: list[dict]) -> list:
    """Make ``record``'s citations exactly ``items`` (in their order), keeping the rows that stay.

    A row is the same citation when its source and excerpt are; others are deleted or created.
    """
    content_type = ContentType.objects.get_for_model(record)
    existing = {
        (c.source_id, c.excerpt): c
        for c in Citation.objects.filter(content_type=content_type, object_id=record.pk)
    }
    rows = []
    for order, item in enumerate(items):
        citation = existing.pop((item["source"].pk, item["excerpt"]), None) or Citation(
            content_type=content_type, object_id=record.pk
        )
        for name, value in {**item, "order": order}.items():
            setattr(citation, name, value)
        rows.append(services.save(citation, validate=False))  # validated (and verified) above
    for stale in existing.values():
        services.delete(stale)
    return rows


class CitedSerializer(BaseSerializer):
    # A public record: its curation state and its citations (written with it: write_citations).

    citations = CitationSerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    prefetch = {"citations": (citations_prefetch(),)}
    # The fields every public record ends with; subclasses list their own, then these.
    common_fields = ("status", "last_verified", "url", "html_url", "citations")


__all__ = [
    "BaseSerializer",
    "CitationSerializer",
    "CitedSerializer",
    "HtmlUrlField",
    "ListUrlField",
    "PartialDateField",
    "api_path",
    "SourceDocumentSerializer",
    "citations_prefetch",
    "detail_url",
    "represent",
]
