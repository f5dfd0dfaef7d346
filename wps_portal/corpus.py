"""The corpus engine: one declarative spec per record kind drives loading, dry runs and export.

Each app may have a ``corpus`` module with ``KINDS``, a list of :class:`Spec`: the record kind's
model, natural key, fields (each with a :class:`Value` type that converts between the YAML value,
the canonical value and the model's attributes), references by natural key, and child rows
(aliases, citations, participants, outputs…). Kinds load in app order (the apps' dependency order)
and, within an app, in list order.

Every record has a *canonical document*: the plain dict the fixtures state once defaults are
applied and text is stripped. The loader parses a fixture record into one (validating every
value), dumps the database record into one, and compares them field by field with the document
it applied at the last load (kept in :class:`~wps_portal.models.LoadedRecord`). That three-way
comparison is the ownership rule (README, "Who owns the data"): a field a curator changed since
the last load is kept and reported unless ``overwrite``; everything else follows the fixtures.
The export writes the same canonical documents back as YAML.

The whole load runs in one transaction: the first bad value stops it with a :class:`CorpusError`
naming the file, the record and the field, and the database is left exactly as it was. A record
is saved only when a value differs, so a second load changes nothing, not even timestamps.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import languages, services
from .choices import DatePrecision, Status
from .corpus_translations import export_translations, from_corpus_modules, load_translations
from .dates import iso_partial, parse_partial_date

# -- errors ----------------------------------------------------------------------------------


class CorpusError(Exception):
    """A bad record: says which file, which record and which field."""

    def __init__(self, message: str, *, file: str = "", record: str = "", field: str = ""):
        self.message, self.file, self.record, self.field = message, file, record, field
        where = " ".join(
            part
            for part in (file, f"record {record}" if record else "", f"field {field!r}" if field else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class Invalid(Exception):
    """A bad value; the engine adds the file, the record and the field's path."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.message, self.path = message, path


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p).replace(".[", "[")


# -- value types -----------------------------------------------------------------------------


def _type_name(raw) -> str:
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "a mapping"
    return type(raw).__name__


class Value:
    """A field's type: YAML value → canonical value → model attributes, and back."""

    empty = None

    def parse(self, raw):
        return raw

    def to_model(self, value, attrs: tuple[str, ...], ctx: Context) -> dict:
        return {attrs[0]: value}

    def from_model(self, instance, attrs: tuple[str, ...], ctx: Context):
        return getattr(instance, attrs[0])


class Text(Value):
    """Text; a number is taken as its text, a list, mapping or true/false is refused."""

    empty = ""

    def parse(self, raw):
        if raw is None:
            return ""
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise Invalid(f"must be text, not {_type_name(raw)} (quote it if it is meant as text)")
        return str(raw).strip()

    def from_model(self, instance, attrs, ctx):
        return getattr(instance, attrs[0]) or ""


class Integer(Value):
    def parse(self, raw):
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise Invalid(f"must be a whole number, not {raw!r}")
        return raw


class Choice(Text):
    def __init__(self, choices):
        self.choices = choices

    def parse(self, raw):
        value = super().parse(raw)
        if value and value not in self.choices.values:
            raise Invalid(f"{value!r} is not one of {', '.join(self.choices.values)}")
        return value


class Day(Value):
    """A full date, written YYYY-MM-DD."""

    def parse(self, raw):
        if raw is None or raw == "":
            return None
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise Invalid(f"{raw!r} is not a date written YYYY-MM-DD") from None

    def to_model(self, value, attrs, ctx):
        return {attrs[0]: datetime.date.fromisoformat(value) if value else None}

    def from_model(self, instance, attrs, ctx):
        value = getattr(instance, attrs[0])
        return value.isoformat() if value else None


class PartialDate(Value):
    """A date as precise as the source: "2010", "2010-06" or "2010-06-15" (two attributes)."""

    def parse(self, raw):
        if raw is None or raw == "":
            return None
        try:
            return iso_partial(*parse_partial_date(raw))
        except ValueError as exc:
            message = str(exc)
            raise Invalid(
                message if "not a date" in message else f"{raw!r} is not a date: {message}"
            ) from None

    def to_model(self, value, attrs, ctx):
        date, precision = parse_partial_date(value) if value else (None, DatePrecision.YEAR)
        return {attrs[0]: date, attrs[1]: precision}

    def from_model(self, instance, attrs, ctx):
        return iso_partial(getattr(instance, attrs[0]), getattr(instance, attrs[1]))


class Ref(Text):
    """A reference to another record by its natural key (``lookup``)."""

    empty = None

    def __init__(self, model: str, lookup: str = "slug"):
        self.model, self.lookup = model, lookup

    def parse(self, raw):
        return super().parse(raw) or None

    def to_model(self, value, attrs, ctx):
        return {attrs[0]: ctx.find(self.model, self.lookup, value)}

    def from_model(self, instance, attrs, ctx):
        return ctx.key_of(self.model, self.lookup, getattr(instance, f"{attrs[0]}_id"))


class Refs(Value):
    """Many-to-many references by natural key, in the order they were added (compared as a set)."""

    empty: list = []  # noqa: RUF012 (never mutated)

    def __init__(self, model: str, lookup: str = "slug"):
        self.model, self.lookup = model, lookup

    def parse(self, raw):
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise Invalid(f"must be a list, not {_type_name(raw)}")
        keys = []
        for index, item in enumerate(raw):
            try:
                key = Text().parse(item)
            except Invalid as exc:
                raise Invalid(exc.message, f"[{index}]") from None
            if key and key not in keys:
                keys.append(key)
        return keys

    def from_model(self, instance, attrs, ctx):
        pks = ctx.linked(type(instance), attrs[0]).get(instance.pk, [])
        return [ctx.key_of(self.model, self.lookup, pk) for pk in pks]


class Rows(Value):
    """Child rows saved with their parent (aliases, citations, participants…), per ``spec``."""

    empty: list = []  # noqa: RUF012 (never mutated)

    def __init__(self, spec: Spec):
        self.spec = spec


class Inline(Value):
    """Records of another kind stated inside this one (a partner's relations): each item becomes
    a record of ``kind`` with ``fill`` set to this record's key."""

    def __init__(self, kind: str, fill: str):
        self.kind, self.fill = kind, fill


TEXT = Text()
INTEGER = Integer()


# -- specs -----------------------------------------------------------------------------------


@dataclass
class Field:
    """One field of a record kind, as written in the fixtures."""

    name: str
    type: Value = TEXT
    attr: str | tuple[str, ...] = ""  # the model attribute(s); defaults to the name
    required: bool = False
    # The canonical value when the fixtures leave it out: a value or default(doc, position=, parent=,
    # ctx=). The export leaves a field out when it holds this default (unless keep_default).
    default: object = None
    keep_default: bool = False
    deferred: bool = False  # written after every record of the kind (references within a kind)
    # ``field: null`` means empty, not the default (a record never verified, in a corpus whose
    # corpus.yaml gives every record a last_verified date); the export writes it so.
    null_overrides_default: bool = False

    @property
    def attrs(self) -> tuple[str, ...]:
        if not self.attr:
            return (self.name,)
        return (self.attr,) if isinstance(self.attr, str) else self.attr

    def default_for(self, doc: dict, *, position: int, parent: dict | None, ctx: Context):
        if callable(self.default):
            return self.default(doc, position=position, parent=parent, ctx=ctx)
        return self.type.empty if self.default is None else self.default


def _status_field() -> Field:
    return Field("status", Choice(Status), default=Status.PUBLISHED)


def _last_verified_field() -> Field:
    return Field(
        "last_verified",
        Day(),
        default=lambda doc, ctx, **_: ctx.defaults.get("last_verified"),
        null_overrides_default=True,
    )


@dataclass
class Spec:
    """A record kind: a model, its natural key and fields; with ``files`` a kind of its own,
    otherwise a child row of a parent (``parent`` is the foreign key to it)."""

    name: str  # singular, for messages: "partner"
    model: str  # "app_label.Model"
    key: tuple[str, ...]
    fields: list[Field]
    files: str = ""  # glob in the corpus folder, for kinds loaded from files
    default_file: str = ""  # where the export puts records no file stated
    parent: str = ""  # child rows: the foreign key to the parent ("" for citations: generic)
    related: str = ""  # child rows: the parent's accessor for them
    position: str = ""  # the model attribute set from the row's position in the list
    position_start: int = 0
    sort: tuple[str, ...] = ()  # the model attributes the export orders child rows by
    cited: bool = False  # has citations
    public: bool = False  # has status and last_verified (and citations)
    unique_key: bool = False  # the key is unique across parents (a slug): claimed corpus-wide
    merge: bool = False  # the same record stated twice is one record (first non-empty value wins)
    distinct: tuple[str, ...] = ()  # other fields no two rows of one parent may share
    text_form: str = ""  # a row may be written as a plain string, meaning {text_form: string}
    normalize: Callable[[dict], dict] | None = None
    check: Callable[[dict], None] | None = None  # raises Invalid(message, field)

    def __post_init__(self):
        if self.public:
            self.fields = [*self.fields, _status_field(), _last_verified_field()]
        if self.public or self.cited:
            self.fields = [*self.fields, Field("citations", Rows(CITATION))]
        self.by_name = {f.name: f for f in self.fields}

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def label(self, key: tuple) -> str:
        return state_key(key)

    def key_of(self, doc: dict) -> tuple:
        return tuple(doc[name] for name in self.key)

    def field(self, name: str) -> Field:
        return self.by_name[name]

    def add_field(self, new: Field, *, after: str = "") -> None:
        """Extend a kind by one field (e.g. an alias's language), placed after ``after``."""
        index = [f.name for f in self.fields].index(after) + 1 if after else len(self.fields)
        self.fields.insert(index, new)
        self.by_name[new.name] = new

    # -- parsing ---------------------------------------------------------------------------

    def parse(self, raw, ctx: Context, *, position: int, parent: dict | None = None, path: str = "") -> dict:
        """The canonical document of one fixture record (or child row); Invalid names the field."""
        if self.text_form and isinstance(raw, str | int | float) and not isinstance(raw, bool):
            raw = {self.text_form: raw}
        if not isinstance(raw, dict):
            raise Invalid(f"expected a mapping of fields, got {_type_name(raw)}", path)
        unknown = [k for k in raw if k not in self.by_name]
        if unknown:
            raise Invalid(f"unknown field (allowed: {', '.join(self.by_name)})", _join(path, str(unknown[0])))
        doc: dict = {}
        for f in self.fields:
            value = raw.get(f.name)
            if f.required and value in (None, ""):
                raise Invalid("is required", _join(path, f.name))
            if isinstance(f.type, Rows):
                doc[f.name] = f.type.spec.parse_rows(value, ctx, parent=doc, path=_join(path, f.name))
                continue
            if isinstance(f.type, Inline):
                if value is not None and not isinstance(value, list):
                    raise Invalid(f"must be a list, not {_type_name(value)}", _join(path, f.name))
                doc[f.name] = value or []
                continue
            try:
                parsed = f.type.parse(value)
            except Invalid as exc:
                raise Invalid(exc.message, _join(path, f.name) + exc.path) from None
            explicit_null = f.null_overrides_default and f.name in raw and value is None
            if parsed in (None, "", []) and value in (None, "", []) and not explicit_null:
                parsed = f.default_for(doc, position=position, parent=parent, ctx=ctx)
            doc[f.name] = parsed
        if self.normalize:
            doc = self.normalize(doc)
        if self.check:
            try:
                self.check(doc)
            except Invalid as exc:
                raise Invalid(exc.message, _join(path, exc.path)) from None
        return doc

    def parse_rows(self, raw, ctx: Context, *, parent: dict, path: str) -> list[dict]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise Invalid(f"must be a list, not {_type_name(raw)}", path)
        rows, keys, seen = [], set(), {name: set() for name in self.distinct}
        for index, item in enumerate(raw):
            row = self.parse(item, ctx, position=index, parent=parent, path=f"{path}[{index}]")
            key = self.key_of(row)
            if key in keys:
                if self.merge:
                    continue  # a repeated row is one row
                raise Invalid(f"two {self.name} rows have the same {', '.join(self.key)}", f"{path}[{index}]")
            for name in self.distinct:
                if row[name] in seen[name]:
                    raise Invalid(f"two {self.name} rows have {name} {row[name]!r}", f"{path}[{index}]")
                seen[name].add(row[name])
            keys.add(key)
            if self.unique_key:
                ctx.claim(self.name, key)
            rows.append(row)
        return rows

    # -- the database side -----------------------------------------------------------------

    def prefetch(self, prefix: str = "") -> list[str]:
        paths = []
        for f in self.fields:
            if isinstance(f.type, Rows):
                child = f.type.spec
                related = child.related or "citations"
                paths.append(prefix + related)
                paths.extend(child.prefetch(f"{prefix}{related}__"))
        return paths

    def dump(self, instance, ctx: Context, *, position: int = 0, parent: dict | None = None) -> dict:
        """The canonical document of a database record."""
        doc: dict = {}
        for f in self.fields:
            if isinstance(f.type, Inline):
                continue
            if isinstance(f.type, Rows):
                doc[f.name] = f.type.spec.dump_rows(instance, ctx, parent=doc)
            else:
                doc[f.name] = f.type.from_model(instance, f.attrs, ctx)
        return doc

    def children_of(self, parent_instance) -> list:
        related = self.related or "citations"
        rows = list(getattr(parent_instance, related).all())
        attrs = self.sort or ((self.position,) if self.position else ())
        return sorted(rows, key=lambda o: (*(getattr(o, a) for a in attrs), o.pk))

    def dump_rows(self, parent_instance, ctx: Context, *, parent: dict) -> list[dict]:
        return [
            self.dump(o, ctx, position=i, parent=parent)
            for i, o in enumerate(self.children_of(parent_instance))
        ]

    def parent_values(self, parent_instance) -> dict:
        if self.parent:
            return {self.parent: parent_instance}
        return {
            "content_type": ContentType.objects.get_for_model(parent_instance),
            "object_id": parent_instance.pk,
        }

    def model_values(self, doc: dict, ctx: Context, *, position: int, deferred: bool = False) -> dict:
        values = {}
        for f in self.fields:
            if isinstance(f.type, Rows | Inline | Refs) or f.deferred != deferred:
                continue
            try:
                values.update(f.type.to_model(doc[f.name], f.attrs, ctx))
            except Invalid as exc:
                raise ctx.error(exc.message, _join(ctx.path, f.name)) from None
        if self.position and not deferred:
            values[self.position] = position + self.position_start
        return values

    def attr_to_field(self, attr: str) -> str:
        for f in self.fields:
            if attr in f.attrs:
                return f.name
        return attr


# -- the canonical comparison ----------------------------------------------------------------


def _canonical(spec: Spec, name: str, value):
    """A field's value in a form where equal means equal: rows whose place in the list means
    nothing (aliases; lessons, which carry their own order) are a set, and so are references."""
    f = spec.by_name[name]
    if isinstance(f.type, Rows) and not f.type.spec.position:
        return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in value)
    if isinstance(f.type, Refs):
        return sorted(value)
    return value


def same(spec: Spec, name: str, a, b) -> bool:
    return _canonical(spec, name, a) == _canonical(spec, name, b)


def compared_fields(spec: Spec) -> list[str]:
    return [f.name for f in spec.fields if not isinstance(f.type, Inline)]


# -- the load context ------------------------------------------------------------------------


@dataclass
class Context:
    directory: Path
    defaults: dict = field(default_factory=dict)
    file: str = ""
    record: str = ""
    path: str = ""
    created: int = 0
    updated: int = 0
    deleted: int = 0
    _claims: dict = field(default_factory=dict)
    _tables: dict = field(default_factory=dict)  # (model, lookup) -> {key: instance}
    _keys: dict = field(default_factory=dict)  # (model, lookup) -> {pk: key}
    _links: dict = field(default_factory=dict)  # (model, m2m) -> {pk: [linked pks in order added]}
    files_read: set = field(default_factory=set)
    created_here: set = field(default_factory=set)  # (model, pk) of the records this load created

    def error(self, message: str, field: str = "") -> CorpusError:
        return CorpusError(message, file=self.file, record=self.record, field=field)

    def claim(self, kind: str, key: tuple):
        """Refuse a second record with the same key anywhere in the corpus."""
        if (kind, key) in self._claims:
            first = self._claims[(kind, key)]
            raise Invalid(f"duplicate {kind} {' '.join(map(str, key))!r} (first defined in {first})")
        self._claims[(kind, key)] = self.file

    def _table(self, model: str, lookup: str) -> dict:
        if (model, lookup) not in self._tables:
            rows = apps.get_model(model)._default_manager.all()
            self._tables[(model, lookup)] = {getattr(o, lookup): o for o in rows}
            self._keys[(model, lookup)] = {o.pk: getattr(o, lookup) for o in rows}
        return self._tables[(model, lookup)]

    def find(self, model: str, lookup: str, value):
        if value in (None, ""):
            return None
        found = self._table(model, lookup).get(value)
        if found is None:
            raise Invalid(f"no {apps.get_model(model)._meta.verbose_name} with {lookup} {value!r}")
        return found

    def key_of(self, model: str, lookup: str, pk):
        if pk is None:
            return None
        self._table(model, lookup)
        return self._keys[(model, lookup)][pk]

    def linked(self, model: type[models.Model], name: str) -> dict:
        """Every record's many-to-many links ``name``, in the order they were added (one query)."""
        if (model, name) not in self._links:
            m2m = model._meta.get_field(name)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links: dict = {}
            for owner, other in through._default_manager.order_by("pk").values_list(
                f"{source}_id", f"{target}_id"
            ):
                links.setdefault(owner, []).append(other)
            self._links[(model, name)] = links
        return self._links[(model, name)]

    def remember(self, instance) -> None:
        """A record just created (or re-keyed) can be referred to from now on."""
        label = instance._meta.label
        for model, lookup in list(self._tables):
            if apps.get_model(model)._meta.label == label:
                self._tables[(model, lookup)][getattr(instance, lookup)] = instance
                self._keys[(model, lookup)][instance.pk] = getattr(instance, lookup)

    # -- writing through the one write path -------------------------------------------------

    def save(self, spec: Spec, instance, *, exclude=()):
        try:
            with transaction.atomic():
                services.save(instance, exclude=exclude)
        except ValidationError as exc:
            raise self._validation_error(spec, exc) from None
        except IntegrityError as exc:
            raise self.error(f"refused by the database: {exc}", self.path) from None

    def _validation_error(self, spec: Spec, exc: ValidationError) -> CorpusError:
        if hasattr(exc, "error_dict"):
            name, errors = next(iter(exc.error_dict.items()))
            messages = "; ".join(m for e in errors for m in e.messages)
            return self.error(
                messages, "" if name == "__all__" else _join(self.path, spec.attr_to_field(name))
            )
        return self.error("; ".join(exc.messages), self.path)

    def write(self, spec: Spec, doc: dict, instance, *, current: dict | None, position: int, parent=None):
        """Make the database record ``instance`` (None: create it) hold ``doc``, writing only what
        differs from ``current`` (its canonical document). Returns the instance."""
        values = spec.model_values(doc, self, position=position)
        deferred = [f.attrs[0] for f in spec.fields if f.deferred]
        if instance is None:
            instance = spec.model_class(
                **(spec.parent_values(parent) if parent is not None else {}), **values
            )
            self.save(spec, instance, exclude=deferred)
            self.created += 1
            self.created_here.add((spec.model_class, instance.pk))
            self.remember(instance)
        elif any(_differs(getattr(instance, k), v) for k, v in values.items()):
            for k, v in values.items():
                setattr(instance, k, v)
            self.save(spec, instance, exclude=deferred)
            self.updated += 1
        for f in spec.fields:
            if current is not None and same(spec, f.name, doc.get(f.name), current.get(f.name)):
                continue
            path = self.path
            self.path = _join(path, f.name)
            try:
                if isinstance(f.type, Refs):
                    try:
                        wanted = [self.find(f.type.model, f.type.lookup, key) for key in doc[f.name]]
                    except Invalid as exc:
                        raise self.error(exc.message, self.path) from None
                    self.set_links(instance, f.attrs[0], wanted)
                    services.changed(instance)
                    self.updated += 1
                elif isinstance(f.type, Rows):
                    self.sync_rows(f.type.spec, instance, doc[f.name])
            finally:
                self.path = path
        return instance

    def set_links(self, instance, name: str, wanted: list) -> None:
        """Make the many-to-many ``name`` hold ``wanted``, adding new links in the stated order
        (Django's ``add`` takes a set), so the export writes them back as the fixtures do."""
        manager = getattr(instance, name)
        keep = {o.pk for o in wanted}
        manager.remove(*[o for o in manager.all() if o.pk not in keep])
        have = set(manager.values_list("pk", flat=True))
        m2m = type(instance)._meta.get_field(name)
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        added = [o for o in wanted if o.pk not in have]
        if not added:
            return
        through._default_manager.bulk_create(
            [through(**{f"{source}_id": instance.pk, f"{target}_id": o.pk}) for o in added]
        )
        # What Django's add() would announce, so the history (and anything else listening) sees
        # the links as if they had been added one by one through the manager.
        m2m_changed.send(
            sender=through,
            instance=instance,
            action="post_add",
            reverse=False,
            model=m2m.related_model,
            pk_set={o.pk for o in added},
            using=instance._state.db,
        )

    def write_deferred(self, spec: Spec, doc: dict, instance) -> None:
        values = spec.model_values(doc, self, position=0, deferred=True)
        if any(_differs(getattr(instance, k), v) for k, v in values.items()):
            for k, v in values.items():
                setattr(instance, k, v)
            self.save(spec, instance)
            self.updated += 1

    def sync_rows(self, spec: Spec, parent_instance, rows: list[dict]) -> None:
        """Make the parent's child rows of ``spec`` hold exactly ``rows``, matched by key."""
        model = spec.model_class
        existing = list(model._default_manager.filter(**spec.parent_values(parent_instance)))
        by_key = {}
        for o in existing:
            by_key[spec.key_of(spec.dump(o, self))] = o
        path = self.path
        for position, row in enumerate(rows):
            self.path = f"{path}[{position}]"
            key = spec.key_of(row)
            instance = by_key.pop(key, None)
            if instance is None and spec.unique_key:
                lookup = {spec.field(n).attrs[0]: v for n, v in zip(spec.key, key, strict=True)}
                instance = model._default_manager.filter(**lookup).first()
                if instance is not None:  # moved from another parent
                    for k, v in spec.parent_values(parent_instance).items():
                        setattr(instance, k, v)
            current = None if instance is None else spec.dump(instance, self)
            if (
                current is not None
                and all(same(spec, n, row[n], current[n]) for n in row)
                and not (spec.position and getattr(instance, spec.position) != position + spec.position_start)
                and not (spec.unique_key and instance.pk not in {o.pk for o in existing})
            ):
                continue
            self.write(spec, row, instance, current=current, position=position, parent=parent_instance)
        self.path = path
        for stale in by_key.values():
            services.delete(stale)
            self.deleted += 1


def _differs(current, wanted) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", current) != getattr(wanted, "pk", wanted)
    return current != wanted


# -- citations: every public record's child rows ---------------------------------------------

CITATION = Spec(
    "citation",
    "wps_portal.Citation",
    key=("source", "excerpt"),
    fields=[
        Field("source", Ref("wps_portal.SourceDocument", "key"), required=True),
        Field("section"),
        Field("excerpt", required=True),
    ],
    position="order",
)


# -- reading files ---------------------------------------------------------------------------


class CorpusLoader(yaml.SafeLoader):
    """YAML without implicit dates: the engine parses dates itself, so "2011-13-01" is an error
    naming its field instead of a traceback from the YAML library."""


CorpusLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path, root: Path):
    relative = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=CorpusLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise CorpusError(f"is not valid YAML: {exc}", file=relative) from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"is not UTF-8: {exc}", file=relative) from None


def read_records(path: Path, root: Path) -> list:
    data = read_yaml(path, root)
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorpusError("must hold a YAML list of records", file=str(path.relative_to(root)))
    return data


SETTINGS_FILE = "corpus.yaml"


def read_settings(directory: Path) -> dict:
    """corpus.yaml: corpus-wide defaults, e.g. the date every record was last verified."""
    path = directory / SETTINGS_FILE
    if not path.exists():
        return {}
    data = read_yaml(path, directory) or {}
    if not isinstance(data, dict):
        raise CorpusError("must hold a mapping of settings", file=SETTINGS_FILE)
    unknown = sorted(set(data) - {"last_verified"})
    if unknown:
        raise CorpusError("unknown setting (allowed: last_verified)", file=SETTINGS_FILE, field=unknown[0])
    try:
        return {"last_verified": Day().parse(data.get("last_verified"))}
    except Invalid as exc:
        raise CorpusError(exc.message, file=SETTINGS_FILE, field="last_verified") from None


def registered_kinds() -> list[Spec]:
    return from_corpus_modules("KINDS")


# -- the report ------------------------------------------------------------------------------


@dataclass
class Difference:
    """A field where the database and the fixtures disagree."""

    kind: str
    label: str
    field: str
    database: object
    fixtures: object

    def describe(self) -> str:
        return f"{self.kind} {self.label}: {self.field} ({describe_difference(self.database, self.fixtures)})"


def _short(value, limit: int = 70) -> str:
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _row_label(row) -> str:
    if isinstance(row, dict):
        for name in ("name", "slug", "partner", "excerpt", "unit", "text", "title"):
            if row.get(name):
                extra = f" ({row['role']})" if row.get("role") else ""
                return _short(row[name], 50) + extra
    return _short(row, 50)


# A report names at most this many rows of one field, and this many records of one section: a
# database seeded with 200,000 activities is a few lines, not megabytes (export_corpus has them all).
REPORT_ROWS = 10
REPORT_RECORDS = 50


def _more(count: int) -> str:
    return ngettext("… and %(count)d more", "… and %(count)d more", count) % {"count": count}


def _at_most(items: list, limit: int) -> list:
    return items if len(items) <= limit else [*items[:limit], _more(len(items) - limit)]


def describe_difference(database, fixtures) -> str:
    if isinstance(database, list) and isinstance(fixtures, list):
        dump = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
        in_fixtures = {dump(r) for r in fixtures}
        in_database = {dump(r) for r in database}
        parts = [f"database only: {_row_label(r)}" for r in database if dump(r) not in in_fixtures]
        parts += [f"fixtures only: {_row_label(r)}" for r in fixtures if dump(r) not in in_database]
        return "; ".join(_at_most(parts, REPORT_ROWS)) or "same rows, different order"
    if isinstance(database, str) and isinstance(fixtures, str):
        database, fixtures = _where_texts_differ(database, fixtures)
    return f"database {_short(database)}, fixtures {_short(fixtures)}"


def _where_texts_differ(a: str, b: str, context: int = 25) -> tuple[str, str]:
    """The part of two texts that differs, with a little context: "…in Black. A curator added"."""
    if len(a) <= 70 and len(b) <= 70:
        return a, b
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def excerpt(text: str) -> str:
        end = min(len(text), len(text) - suffix + context)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return excerpt(a), excerpt(b)


@dataclass
class LoadReport:
    """What a load did (or, in a dry run, would do), per record and field."""

    directory: str = ""
    dry_run: bool = False
    files: int = 0
    created: int = 0  # rows of every kind, child rows included
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0  # records
    created_records: list[str] = field(default_factory=list)
    updated_fields: list[Difference] = field(default_factory=list)  # followed the fixtures
    kept: list[Difference] = field(default_factory=list)  # a curator's value kept
    overwritten: list[Difference] = field(default_factory=list)  # a curator's value overwritten
    not_recreated: list[str] = field(default_factory=list)  # deleted by a curator
    missing: list[str] = field(default_factory=list)  # no longer stated by the fixtures
    unpublished: list[str] = field(default_factory=list)  # missing, and unpublished on request
    database_only: list[str] = field(default_factory=list)  # added by curators

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    def lines(self) -> list[str]:
        def records(items) -> int:
            return len({(d.kind, d.label) for d in items})

        summary = _(
            "%(files)s read from %(directory)s: %(created)s created, %(updated)s updated to the fixtures, "
            "%(kept)s with curators' changes kept, %(overwritten)s with curators' changes overwritten, "
            "%(unchanged)s unchanged; rows written: %(rows_created)s created, %(rows_updated)s updated, "
            "%(rows_deleted)s deleted."
        ) % {
            "files": ngettext("%d file", "%d files", self.files) % self.files,
            "directory": self.directory,
            "created": ngettext("%d record", "%d records", len(self.created_records))
            % len(self.created_records),
            "updated": records(self.updated_fields),
            "kept": records(self.kept),
            "overwritten": records(self.overwritten),
            "unchanged": self.unchanged,
            "rows_created": self.created,
            "rows_updated": self.updated,
            "rows_deleted": self.deleted,
        }
        out = [_("Dry run, nothing changed: %s") % summary if self.dry_run else summary]

        def section(title: str, items: list) -> None:
            if items:
                out.append(title)
                shown = [
                    item if isinstance(item, str) else item.describe() for item in items[:REPORT_RECORDS]
                ]
                if len(items) > REPORT_RECORDS:
                    shown.append(_more(len(items) - REPORT_RECORDS))
                out.extend(f"  {line}" for line in shown)

        section(_("Created:"), self.created_records)
        section(
            _("Updated to the fixtures (nobody had edited these fields since the last load):"),
            self.updated_fields,
        )
        section(
            _(
                "Kept a curator's change (the database differs from the fixtures; `export_corpus` writes it "
                "back, `--overwrite` replaces it):"
            ),
            self.kept,
        )
        section(_("Overwrote a curator's change with the fixtures (--overwrite):"), self.overwritten)
        section(
            _("Deleted by a curator since the last load, not re-created (--overwrite re-creates):"),
            self.not_recreated,
        )
        section(
            _(
                "No longer stated by the loaded files, left as they are (--unpublish-missing unpublishes them):"
            ),
            self.missing,
        )
        section(_("No longer stated by the loaded files, unpublished (relations deleted):"), self.unpublished)
        section(
            _("In the database only (added by curators; `export_corpus` writes them out):"),
            self.database_only,
        )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


# -- loading ---------------------------------------------------------------------------------


@dataclass
class Statement:
    doc: dict
    file: str
    position: int
    stated_on: str = ""  # the record it is stated inside (a partner, for its inline relations)
    record: str = ""


class _DryRun(Exception):
    pass


def state_key(key: tuple) -> str:
    return " ".join(str(part) for part in key)


def load_corpus(
    directory: Path | str,
    *,
    overwrite: bool = False,
    dry_run: bool = False,
    unpublish_missing: bool = False,
) -> LoadReport:
    """Load the fixture files under ``directory`` under the ownership rule (module docstring) in
    one transaction; ``dry_run`` reports the same and rolls back."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"corpus folder {directory} does not exist")
    report = LoadReport(directory=str(directory), dry_run=dry_run)
    ctx = Context(directory=directory, defaults=read_settings(directory))
    reason = (
        "load_corpus"
        + (" --overwrite" if overwrite else "")
        + (" --unpublish-missing" if unpublish_missing else "")
    )
    try:
        # English: the records' texts are read and written in their English columns (a translated
        # field's attribute reads the active language); translations come from their own files.
        with (
            translation.override(languages.SOURCE_LANGUAGE),
            services.writing(services.Via.LOADER, reason=reason),
            transaction.atomic(),
        ):
            with services.batch():
                _load(ctx, report, overwrite=overwrite, unpublish_missing=unpublish_missing)
                load_translations(ctx, report, overwrite=overwrite)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.created, report.updated, report.deleted = ctx.created, ctx.updated, ctx.deleted
    if report.changed and not dry_run:
        update_planner_statistics()
    return report


def _load(ctx: Context, report: LoadReport, *, overwrite: bool, unpublish_missing: bool) -> None:
    from .models import LoadedRecord

    states = {(s.kind, s.key): s for s in LoadedRecord.objects.all()}
    new_states: list[LoadedRecord] = []
    changed_states: list[LoadedRecord] = []
    inline: dict[str, list[Statement]] = {}
    for spec in registered_kinds():
        paths = sorted(ctx.directory.glob(spec.files))
        hosted = spec.name in inline  # its host kind (partners, for relations) was loaded
        statements = _read_kind(spec, paths, ctx, inline)
        report.files += len(paths)
        if not paths and not hosted:
            continue  # this kind is not part of the load
        model = spec.model_class
        instances = {}
        for instance in model._default_manager.prefetch_related(*spec.prefetch()):
            ctx.record = str(instance.pk)
            instances[spec.key_of(spec.dump(instance, ctx))] = instance
        deferred = []
        for key, statement in statements.items():
            ctx.file, ctx.record, ctx.path = statement.file, statement.record, ""
            state = states.get((spec.name, state_key(key)))
            last = state.values if state else None
            instance = instances.get(key)
            wanted = statement.doc
            label = spec.label(key)
            if instance is None and last is not None and not overwrite:
                report.not_recreated.append(f"{spec.name} {label}")
            elif instance is None:
                instance = ctx.write(spec, wanted, None, current=None, position=statement.position)
                report.created_records.append(f"{spec.name} {label}")
                deferred.append((statement, wanted, instance))
            else:
                current = spec.dump(instance, ctx)
                merged = dict(current)
                for name in compared_fields(spec):
                    if same(spec, name, wanted[name], current[name]):
                        continue
                    difference = Difference(spec.name, label, name, current[name], wanted[name])
                    # Nobody edited it: it still holds what the last load wrote, or it is a field
                    # the last load did not know (added since) and nobody has filled in.
                    untouched = last is not None and (
                        same(spec, name, last[name], current[name])
                        if name in last
                        else current[name] in (None, "", [], {})
                    )
                    if untouched:
                        report.updated_fields.append(difference)
                    elif overwrite:
                        report.overwritten.append(difference)
                    else:
                        report.kept.append(difference)
                        continue
                    merged[name] = wanted[name]
                if merged == current:
                    report.unchanged += 1
                else:
                    ctx.write(spec, merged, instance, current=current, position=statement.position)
                deferred.append((statement, merged, instance))
            _remember_state(spec, key, statement, state, new_states, changed_states)
        for statement, doc, instance in deferred:
            ctx.file, ctx.record, ctx.path = statement.file, statement.record, ""
            ctx.write_deferred(spec, doc, instance)
        _report_missing(spec, ctx, report, statements, instances, states, paths, unpublish_missing)
    ctx.file = ctx.record = ctx.path = ""
    LoadedRecord.objects.bulk_create(new_states, batch_size=500)
    LoadedRecord.objects.bulk_update(
        changed_states, ["file", "position", "stated_on", "values"], batch_size=500
    )


def _remember_state(spec, key, statement, state, new_states, changed_states) -> None:
    from .models import LoadedRecord

    values = {"file": statement.file, "position": statement.position, "stated_on": statement.stated_on}
    if state is None:
        new_states.append(LoadedRecord(kind=spec.name, key=state_key(key), values=statement.doc, **values))
    elif state.values != statement.doc or any(getattr(state, k) != v for k, v in values.items()):
        state.values = statement.doc
        for k, v in values.items():
            setattr(state, k, v)
        changed_states.append(state)


def _read_kind(spec: Spec, paths: list[Path], ctx: Context, inline: dict) -> dict[tuple, Statement]:
    """Every statement of ``spec``'s records, by natural key (statements merged where allowed)."""
    statements: dict[tuple, Statement] = {}
    pending = [(s, None) for s in inline.pop(spec.name, [])]
    for f in spec.fields:
        if isinstance(f.type, Inline) and paths:
            inline.setdefault(f.type.kind, [])
    for path in paths:
        ctx.file = str(path.relative_to(ctx.directory))
        ctx.files_read.add(ctx.file)
        for index, raw in enumerate(read_records(path, ctx.directory)):
            pending.append((Statement({}, ctx.file, index), raw))
    for statement, raw in pending:
        ctx.file, ctx.record = (
            statement.file,
            _record_label(raw if raw is not None else statement.doc, statement.position),
        )
        statement.record = ctx.record
        try:
            doc = spec.parse(raw if raw is not None else statement.doc, ctx, position=statement.position)
            key = spec.key_of(doc)
            if key in statements and spec.merge:
                earlier = statements[key].doc
                for name, value in doc.items():
                    if earlier[name] in (None, "", []):
                        earlier[name] = value
                continue
            ctx.claim(spec.name, key)
        except Invalid as exc:
            raise ctx.error(exc.message, exc.path) from None
        statement.doc = doc
        statements[key] = statement
        for f in spec.fields:
            if isinstance(f.type, Inline):
                for index, item in enumerate(doc.pop(f.name)):
                    if not isinstance(item, dict):
                        raise ctx.error(
                            f"expected a mapping of fields, got {_type_name(item)}", f"{f.name}[{index}]"
                        )
                    inline.setdefault(f.type.kind, []).append(
                        Statement({**item, f.type.fill: key[0]}, statement.file, index, stated_on=key[0])
                    )
    return statements


def _record_label(record, index: int) -> str:
    if isinstance(record, dict):
        for key in ("slug", "key", "code", "number"):
            if record.get(key) not in (None, ""):
                return f"{key}={record[key]}"
        if record.get("source") and record.get("target"):
            return f"{record['source']} {record.get('type', '?')} {record['target']}"
    return f"#{index + 1}"


def _report_missing(spec, ctx, report, statements, instances, states, paths, unpublish_missing) -> None:
    """Records of a loaded kind that no loaded file states: reported by name, never deleted
    silently. A record counts as no longer stated when the file that stated it was loaded, or is
    gone from a folder that still holds files of its kind (so loading a subset folder that holds
    none of a kind's files, or none of the files of that kind, says nothing about them)."""
    from .models import LoadedRecord, PublicModel

    loaded = ctx.files_read
    folders_with_files = {str(PurePosixPath(f).parent) for f in loaded}
    stated = {state_key(key) for key in statements}
    by_key = {state_key(key): instance for key, instance in instances.items()}
    missing = []
    for (kind, key_text), state in states.items():
        if kind != spec.name or key_text in stated or key_text not in by_key:
            continue
        gone = not (ctx.directory / state.file).exists()
        if state.file in loaded or (gone and str(PurePosixPath(state.file).parent) in folders_with_files):
            missing.append((state, by_key[key_text]))
    known = {key for (kind, key) in states if kind == spec.name}
    for key_text in by_key:
        if key_text not in stated and key_text not in known:
            report.database_only.append(f"{spec.name} {key_text}")
    unpublished = []  # the public records to set to draft: one bulk change for the kind
    for state, instance in missing:
        label = state.key
        status = getattr(instance, "status", None)
        where = f"last loaded from {state.file}"
        if not unpublish_missing:
            report.missing.append(f"{spec.name} {label} ({status or 'no status'}; {where})")
        elif isinstance(instance, PublicModel):
            unpublished.append(instance.pk)
            LoadedRecord.objects.filter(pk=state.pk).update(values={**state.values, "status": Status.DRAFT})
            report.unpublished.append(f"{spec.name} {label} ({where})")
        else:  # no status to unpublish (a relation, a country): deleted, unless still referred to
            try:
                with transaction.atomic():
                    services.delete(instance)
            except ProtectedError:
                report.missing.append(f"{spec.name} {label} (kept: other records refer to it; {where})")
                continue
            ctx.deleted += 1
            LoadedRecord.objects.filter(pk=state.pk).delete()
            report.unpublished.append(f"{spec.name} {label} (deleted; {where})")
    if unpublished:
        records = spec.model_class._default_manager.filter(pk__in=unpublished)
        ctx.updated += services.update(records, status=Status.DRAFT)


def update_planner_statistics() -> None:
    """ANALYZE after a load that changed rows, so the query planner knows the tables' sizes.

    SQLite keeps no statistics unless asked; without them it may drive a facet count's joins
    from the wrong table (measured: 2.6 s instead of 6 ms with 5,000 partners). PostgreSQL's
    autovacuum would get there eventually; this gets there at once.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- export ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key, as written by hand


def _represent_str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 90 and value == value.strip() and "  " not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _Flow(dict):
    """A short row of scalars, written on one line: {name: Zene Zenama, kind: spelling}."""


def _represent_flow(dumper, value):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _represent_dict(dumper, value):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(dict, _represent_dict)


def _compact(spec: Spec, doc: dict, ctx: Context, *, position: int, parent: dict | None, top: bool) -> dict:
    """A canonical document as the fixtures write it: defaults and empty values left out."""
    out: dict = {}
    for f in spec.fields:
        value = doc.get(f.name)
        if isinstance(f.type, Rows):
            value = [
                _compact(f.type.spec, row, ctx, position=i, parent=doc, top=False)
                for i, row in enumerate(value)
            ]
        default = f.default_for(doc, position=position, parent=parent, ctx=ctx)
        if value is None and f.null_overrides_default and default is not None:
            out[f.name] = None
            continue
        if value in (None, "", []) and not f.required:
            continue
        if not f.keep_default and not f.required and value == default:
            continue
        out[f.name] = value
    if not top and _fits(out):
        return _Flow(out)
    return out


def dump_yaml(records: list) -> str:
    text = yaml.dump(records, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    # A blank line between top-level records, as the fixtures are written.
    return text.replace("\n- ", "\n\n- ")


@dataclass
class ExportReport:
    directory: str
    files: list[str] = field(default_factory=list)
    records: int = 0
    removed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"Exported {self.records} records in {len(self.files)} files to {self.directory}."
        if self.removed:
            text += " Removed files that no longer hold records: " + ", ".join(self.removed) + "."
        return text


def _most_common_last_verified() -> str | None:
    from .models import PublicModel

    counts: Counter = Counter()
    for model in apps.get_models():
        if issubclass(model, PublicModel):
            counts.update(
                d.isoformat() for d in model._default_manager.values_list("last_verified", flat=True) if d
            )
    if not counts:
        return None
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def export_corpus(directory: Path | str) -> ExportReport:
    """Write the whole knowledge base (published and draft) as fixture files under ``directory``,
    in the files the records were last loaded from (new records in each kind's default file),
    in a stable order, and the translations in translations/<code>.yaml; remove corpus files of
    a known kind that no longer hold a record."""
    with translation.override(languages.SOURCE_LANGUAGE):
        return _export_corpus(directory)


def _export_corpus(directory: Path | str) -> ExportReport:
    from .models import LoadedRecord

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport(directory=str(directory))
    ctx = Context(directory=directory, defaults={"last_verified": _most_common_last_verified()})
    states = {(s.kind, s.key): s for s in LoadedRecord.objects.all()}
    kinds = registered_kinds()
    files: dict[str, list] = {}
    inline_rows: dict[tuple[str, str], list] = {}  # (kind, stated_on key) -> [(position, doc)]
    placed: dict[str, list] = {}
    for spec in kinds:
        for instance in spec.model_class._default_manager.prefetch_related(*spec.prefetch()):
            doc = spec.dump(instance, ctx)
            key = spec.key_of(doc)
            state = states.get((spec.name, state_key(key)))
            compact = _compact(spec, doc, ctx, position=0, parent=None, top=True)
            if state is not None and state.stated_on:
                host = _inline_host(kinds, spec)
                if host is not None:
                    host_spec, inline_field = host
                    compact.pop(inline_field.type.fill, None)
                    inline_rows.setdefault((host_spec.name, state.stated_on), []).append(
                        ((state.position, key), _Flow(compact) if _fits(compact) else compact)
                    )
                    continue
            if state is not None and PurePosixPath(state.file).match(spec.files):
                file, order = state.file, (0, state.position, key)
            else:
                file, order = spec.default_file, (1, 0, key)
            placed.setdefault(file, []).append((order, spec, key, compact))
    for file, entries in placed.items():
        records = []
        for _order, spec, key, compact in sorted(entries, key=lambda e: _sortable(e[0])):
            for f in spec.fields:
                if isinstance(f.type, Inline):
                    rows = sorted(inline_rows.get((spec.name, key[0]), []), key=lambda r: _sortable(r[0]))
                    if rows:
                        compact = _insert_before(compact, f.name, [row for _position, row in rows], spec)
            records.append(compact)
        files[file] = records
        report.records += len(records)
    written = set()
    for file, records in sorted(files.items()):
        path = directory / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(records), encoding="utf-8")
        written.add(file)
    settings_text = yaml.dump(
        {"last_verified": ctx.defaults["last_verified"]} if ctx.defaults["last_verified"] else {},
        Dumper=_Dumper,
        sort_keys=False,
    )
    (directory / SETTINGS_FILE).write_text(settings_text, encoding="utf-8")
    written.add(SETTINGS_FILE)
    written.update(export_translations(directory))
    for spec in kinds:
        for path in sorted(directory.glob(spec.files)):
            relative = str(path.relative_to(directory))
            if relative not in written:
                path.unlink()
                report.removed.append(relative)
    report.files = sorted(written)
    return report


def _fits(row: dict) -> bool:
    return all(not isinstance(v, list | dict) for v in row.values()) and (
        sum(len(str(k)) + len(str(v)) + 4 for k, v in row.items()) <= 80
    )


def _sortable(order: tuple):
    return tuple(json.dumps(part, ensure_ascii=False) if isinstance(part, tuple) else part for part in order)


def _inline_host(kinds: list[Spec], spec: Spec):
    for host in kinds:
        for f in host.fields:
            if isinstance(f.type, Inline) and f.type.kind == spec.name:
                return host, f
    return None


def _insert_before(compact: dict, name: str, rows: list, spec: Spec) -> dict:
    """``compact`` with ``rows`` under ``name``, in the field order the spec declares."""
    order = [f.name for f in spec.fields]
    out = dict(compact)
    out[name] = rows
    return {k: out[k] for k in sorted(out, key=order.index)}


# -- this app's kinds ------------------------------------------------------------------------

SOURCE = Spec(
    "source",
    "wps_portal.SourceDocument",
    key=("key",),
    files="sources.yaml",
    default_file="sources.yaml",
    fields=[
        Field("key", required=True),
        Field("title", required=True),
        Field("publisher", required=True),
        Field("date", PartialDate(), attr=("date", "date_precision")),
        Field("date_note"),
        Field("filename", required=True),
        Field("description"),
        Field("url"),
    ],
)

KINDS = [SOURCE]
