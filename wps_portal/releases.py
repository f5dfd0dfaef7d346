"""Whole-dataset releases: the published registry as a Frictionless Data Package (CSVs zipped with
their ``datapackage.json``), one SQLite file and one JSON file, each release versioned and
reproducible.

The tables are derived from the models, not listed by hand: every curated model (one that keeps a
history, ``history.has_history``) is a table, and so is every many-to-many relation without a model
of its own (a programme's countries…). A table's columns are the model's concrete fields except
the bookkeeping ones (``SKIPPED_FIELDS``); its primary key is the model's natural key: its first
unique slug or code field, else its unique constraint (an alias: partner + name), else its
parent's key and a ``position`` counted in the model's order (an output: activity + position). A
foreign key holds the referenced row's key (a slug, a country code), so the tables join with the
site's URLs and the API. A citation names its record by ``record_kind`` (the table) and
``record_key``; a record whose key has several columns is named by them joined with "/".

Translated content (django-modeltranslation, ``wps_portal.translations``) is one more table,
``translations``, derived from the translation registry: a row per record, translated field and
language whose translation has a text, naming its record as a citation does, with the text and its
status (machine-assisted or reviewed). The record tables keep the English text, so a reader of
English needs nothing else and a language's texts are one filter away; a translation not yet made
has no row (its status would be "missing").

Only what the public sees goes in: ``public_records`` (the one published rule of
``wps_portal.models``) chooses each table's rows; a reference to a row that is not in the release
is emptied, and a row that cannot be without it is left out.

Reproducible: same data → same bytes. Rows are sorted by key, JSON keys sorted, zip entries carry
the release date as their time, and the only date is the data's own (the latest change of any
record released, or ``--date``). The version is that date and a hash of the content.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import translation

from . import languages
from .history import has_history
from .licence import ATTRIBUTION, LICENCE, LICENCE_SCOPE
from .models import Citation, public_records
from .spreadsheet import neutralise
from .translations import TARGET_LANGUAGES, status_in, translated_fields
from .translations import column as translation_column

PORTAL_APPS = ("partners", "activities", "casestudies", "wps_portal")
# Bookkeeping, not data: the surrogate id, the status (every row released is published), the
# search engine's text, and the timestamps of each save (the release's date is taken from them).
SKIPPED_FIELDS = {"id", "status", "search_text", "created", "updated"}
POSITION = "position"
TRANSLATIONS = "translations"
NAME = "wps-portal"
TITLE = ATTRIBUTION
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


# -- the tables, from the models' metadata ---------------------------------------------------------


@dataclass
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, date, datetime
    description: str = ""
    required: bool = False
    enum: list[str] | None = None
    field: models.Field | None = None  # the model field it reads (None: derived)
    references: str | None = None  # the table a foreign key points to


@dataclass
class Table:
    name: str
    model: type[models.Model] | None  # None: derived from other tables' rows (translations)
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    parent: list[str] = field(default_factory=list)  # columns a position is counted within
    auto_through: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _plural(opts) -> str:
    """The model's plural name: its own ``verbose_name_plural``, or else English's rule (Django's
    default only adds an "s": "approachs")."""
    if "verbose_name_plural" in opts.original_attrs:
        return str(opts.verbose_name_plural)
    name = str(opts.verbose_name)
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def _table_name(text: str) -> str:
    return "_".join(str(text).replace("-", " ").split()).lower()


def _description(model) -> str:
    doc = (model.__doc__ or "").strip()
    if not doc or doc.startswith(f"{model.__name__}("):  # Django's generated docstring
        return _plural(model._meta).capitalize() + "."
    return " ".join(doc.split("\n\n")[0].split())


def _type_of(model_field: models.Field) -> str:
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return "integer"
    return "string"


def released_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS and has_history(model) and model._meta.managed
    ]


def _single_key(model) -> str | None:
    """The model's own key: its first unique slug, else its first unique other text field."""
    fields = [f for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for f in fields:
        if isinstance(f, models.SlugField):
            return f.name
    for f in fields:
        if isinstance(f, models.CharField):
            return f.name
    return None


def _unique_together(model) -> list[str] | None:
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            return list(constraint.fields)
    return None


_tables: list[Table] | None = None


def tables() -> list[Table]:
    """The release's tables, in dependency order (a table after those it refers to)."""
    global _tables
    if _tables is None:
        _tables = _derive_tables()
    return _tables


def _derive_tables() -> list[Table]:
    with translation.override("en"):
        by_model: dict[type, Table] = {}
        for model in released_models():
            by_model[model] = _model_table(model)
        for model in released_models():
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through._meta.auto_created and m2m.related_model in by_model:
                    by_model[through] = _through_table(model, m2m, by_model)
        for table in by_model.values():
            for column in table.columns:
                if column.field is not None and column.field.is_relation and column.references is None:
                    column.references = by_model[column.field.related_model].name
                    target = by_model[column.field.related_model]
                    column.type = target.column(target.primary_key[0]).type
    ordered: list[Table] = []

    def visit(table: Table):
        if table in ordered:
            return
        for column in table.columns:
            if column.references and column.references != table.name:
                visit(next(t for t in by_model.values() if t.name == column.references))
        ordered.append(table)

    for table in sorted(by_model.values(), key=lambda t: t.name):
        visit(table)
    if translated := _translations_table(by_model):
        ordered.append(translated)
    # A table whose rows name records of any table (citations) comes after all of them.
    return sorted(ordered, key=lambda t: any(c.name == "record_kind" for c in t.columns))


def _model_table(model) -> Table:
    opts = model._meta
    columns: list[Column] = []
    parent: list[str] = []
    generic = next((f for f in opts.private_fields if isinstance(f, GenericForeignKey)), None)
    generic_parts = {generic.ct_field, generic.fk_field} if generic else set()
    if generic:
        columns += [
            Column("record_kind", "string", "The table of the record this row supports.", True),
            Column("record_key", "string", "The record's key in that table.", True),
        ]
        parent = ["record_kind", "record_key"]
    for f in opts.concrete_fields:
        if f.name in SKIPPED_FIELDS or f.attname in SKIPPED_FIELDS or f.name in generic_parts:
            continue
        if hasattr(f, "translated_field") or f.name == "translation_status":
            continue  # the English text is the field itself; the others are in the translations table
        help_text = str(f.help_text or "")
        description = str(f.verbose_name).capitalize() + (f": {help_text}" if help_text else "")
        required = not f.null and not (f.blank and not f.is_relation and _type_of(f) == "string")
        enum = [str(value) for value, _label in f.choices] if f.choices else None
        columns.append(Column(f.name, _type_of(f), description, required, enum, f))
    key = _single_key(model)
    if key:
        primary_key = [key]
    else:
        primary_key = _unique_together(model)
        if primary_key is None:
            if not parent:
                parent = [f.name for f in opts.concrete_fields if f.many_to_one and not f.null][:1]
            columns.insert(
                len(parent) if generic else 0,
                Column(POSITION, "integer", "Its place among its parent's rows, from 1.", True),
            )
            primary_key = [*parent, POSITION]
    # Key columns first, in key order, then the rest in the model's order.
    columns.sort(key=lambda c: primary_key.index(c.name) if c.name in primary_key else len(primary_key))
    return Table(
        name=_table_name(_plural(opts)),
        model=model,
        title=_plural(opts).capitalize(),
        description=_description(model),
        columns=columns,
        primary_key=primary_key,
        parent=parent if POSITION in primary_key else [],
    )


def _translations_table(by_model) -> Table | None:
    """The translations of every released model registered for translation, in long format."""
    translated = sorted((t for m, t in by_model.items() if translated_fields(m)), key=lambda t: t.name)
    if not translated:
        return None
    field_names = sorted({f for t in translated for f in translated_fields(t.model)})
    statuses = "; ".join(
        f"{value}: {description}"
        for value, description in (
            (languages.MACHINE_ASSISTED, "drafted with machine help, not yet reviewed by a native speaker"),
            (languages.REVIEWED, "reviewed by a native speaker"),
        )
    )
    columns = [
        Column(
            "record_kind",
            "string",
            "The table of the translated record (as a citation names it).",
            True,
            [t.name for t in translated],
        ),
        Column("record_key", "string", "The record's key in that table.", True),
        Column(
            "field",
            "string",
            "The translated column of that table, which holds the English text.",
            True,
            field_names,
        ),
        Column(
            "language",
            "string",
            "The translation's language, a BCP 47 tag as in aliases (sr-Latn is transliterated from "
            "sr-Cyrl and has its status).",
            True,
            [languages.BCP47[code] for code in TARGET_LANGUAGES],
        ),
        Column("text", "string", "The translated text.", True),
        Column(
            "status",
            "string",
            f"How far the translation has been checked: {statuses}.",
            True,
            list(languages.STATUSES),
        ),
    ]
    kinds = ", ".join(t.name.replace("_", " ") for t in translated)
    return Table(
        name=TRANSLATIONS,
        model=None,
        title="Translations",
        description=(
            f"Translations of the texts of {kinds}: one row per record, field and language that has a "
            "translation, with its status. The English text is in the record's own table; a text not "
            "yet translated has no row."
        ),
        columns=columns,
        primary_key=["record_kind", "record_key", "field", "language"],
    )


def _through_table(model, m2m, by_model) -> Table:
    through = m2m.remote_field.through
    own = by_model[model]
    source = next(f for f in through._meta.concrete_fields if f.many_to_one and f.related_model is model)
    target = next(
        f for f in through._meta.concrete_fields if f.many_to_one and f.related_model is m2m.related_model
    )
    columns = [
        Column(source.name, "string", f"The {model._meta.verbose_name}.", True, field=source),
        Column(target.name, "string", f"The {m2m.related_model._meta.verbose_name}.", True, field=target),
    ]
    title = f"{model._meta.verbose_name} {m2m.verbose_name}"
    return Table(
        name=_table_name(title),
        model=through,
        title=title.capitalize(),
        description=f"The {m2m.verbose_name} of each {model._meta.verbose_name} ({own.name}).",
        columns=columns,
        primary_key=[source.name, target.name],
        auto_through=True,
    )


# -- the rows: published only ----------------------------------------------------------------------


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _record_key(table: Table, row: dict) -> str:
    return "/".join(str(row[c]) for c in table.primary_key)


@contextmanager
def one_snapshot():
    """The block's reads see one committed state (a curator's edit during a build cannot leave a
    citation without its record): a transaction, at REPEATABLE READ on PostgreSQL. Inside a
    transaction already (a request: ``ConsistentReadMiddleware``), that one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def collect() -> tuple[dict[str, list[dict]], str | None]:
    """Every table's published rows (dicts of column → value, sorted by key), and the date of the
    latest change of any record released (ISO), the release's default date. Read in English
    whatever the reader's language: a translated field's name reads the active language's column
    (modeltranslation), and /sq/data/ may be the request that builds the release."""
    with one_snapshot(), translation.override(languages.SOURCE_LANGUAGE):
        return _collect()


def _collect() -> tuple[dict[str, list[dict]], str | None]:
    all_tables = [t for t in tables() if t.model is not None]
    by_model = {t.model: t for t in all_tables}
    keys: dict[type, dict[int, object]] = {}  # model → pk → key value (single) or joined key
    raw: dict[str, list[tuple[int, dict]]] = {}
    latest: datetime.datetime | None = None
    for table in all_tables:
        model = table.model
        # The one published rule: a citation is public when its record is (``public()``).
        queryset = Citation.objects.public() if model is Citation else public_records(model)
        names = ["pk", *(c.field.attname for c in table.columns if c.field is not None)]
        has_updated = any(f.name == "updated" for f in model._meta.concrete_fields)
        if has_updated:
            names.append("updated")
        if table.parent or model is Citation:
            queryset = queryset.order_by(*model._meta.ordering) if model._meta.ordering else queryset
        else:
            queryset = queryset.order_by("pk")
        if model is Citation:
            names += ["content_type_id", "object_id"]
        if fields := translated_fields(model):
            names += [translation_column(f, code) for f in fields for code in TARGET_LANGUAGES]
            names.append("translation_status")
        rows = []
        for values in queryset.values(*names):
            if has_updated:
                changed = values.pop("updated")
                latest = changed if latest is None or changed > latest else latest
            rows.append(values)
        raw[table.name] = rows
    # The rows' keys: a table's own key column first (a partner's parent may come later in the
    # table), then composite keys as their tables' references are resolved, in dependency order.
    for table in all_tables:
        if len(table.primary_key) == 1:
            attname = table.column(table.primary_key[0]).field.attname
            keys[table.model] = {values["pk"]: values[attname] for values in raw[table.name]}
    result: dict[str, list[dict]] = {}

    for table in all_tables:
        model = table.model
        out = []
        positions: dict[tuple, int] = {}
        for values in raw[table.name]:
            row: dict = {}
            keep = True
            for column in table.columns:
                if column.field is None:
                    continue
                value = values[column.field.attname]
                if column.field.is_relation:
                    target = keys.get(column.field.related_model, {})
                    value = target.get(value) if value is not None else None
                    if value is None and values[column.field.attname] is not None and column.required:
                        keep = False  # it cannot be without a row the release leaves out
                row[column.name] = _cell(value)
            if model is Citation:
                record_model = ContentType.objects.get_for_id(values["content_type_id"]).model_class()
                record_table = by_model.get(record_model)
                record_key = keys.get(record_model, {}).get(values["object_id"]) if record_table else None
                if record_key is None:
                    keep = False
                else:
                    row["record_kind"], row["record_key"] = record_table.name, record_key
            if not keep:
                keys.get(model, {}).pop(values["pk"], None)
                continue
            if table.parent:
                parent = tuple(row[c] for c in table.parent)
                positions[parent] = positions.get(parent, 0) + 1
                row[POSITION] = positions[parent]
            keys.setdefault(model, {})[values["pk"]] = (
                row[table.primary_key[0]] if len(table.primary_key) == 1 else _record_key(table, row)
            )
            out.append({c.name: row[c.name] for c in table.columns})
        out.sort(key=lambda r: tuple(_sortable(r[c]) for c in table.primary_key))
        result[table.name] = out
    if translations := next((t for t in tables() if t.name == TRANSLATIONS), None):
        result[TRANSLATIONS] = _translation_rows(translations, all_tables, raw, keys)
    return result, (latest.astimezone(datetime.UTC).date().isoformat() if latest else None)


def _translation_rows(table: Table, all_tables: list[Table], raw, keys) -> list[dict]:
    """The translations of the released rows (``keys`` holds only those), a row per text."""
    rows = []
    for record_table in all_tables:
        fields = translated_fields(record_table.model)
        if not fields:
            continue
        released = keys.get(record_table.model, {})
        for values in raw[record_table.name]:
            record_key = released.get(values["pk"])
            if record_key is None:  # left out of the release
                continue
            for name in fields:
                for code in TARGET_LANGUAGES:
                    text = values[translation_column(name, code)]
                    if not (text or "").strip():
                        continue
                    rows.append(
                        {
                            "record_kind": record_table.name,
                            "record_key": record_key,
                            "field": name,
                            "language": languages.BCP47[code],
                            "text": text,
                            "status": status_in(values["translation_status"], name, code, text),
                        }
                    )
    rows.sort(key=lambda r: tuple(_sortable(r[c]) for c in table.primary_key))
    return rows


def _sortable(value):
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


# -- the files -------------------------------------------------------------------------------------


@dataclass
class Release:
    version: str
    date: str
    directory: Path
    manifest: dict

    @property
    def files(self) -> list[dict]:
        return self.manifest["files"]


def content_hash(data: dict[str, list[dict]]) -> str:
    return hashlib.sha256(_json(data).encode()).hexdigest()


def _json(value, indent=None) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent, separators=None)


def site_url(path: str = "") -> str | None:
    """The public address of ``path`` on the portal (``SITE_URL``), or None where it is not set: a
    release never takes its host from a request, so its bytes do not depend on who asked."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if base else None


def sources_of(data) -> list[dict]:
    sources = []
    for source in data.get(_source_table(), []):
        entry = {"title": source["title"]}
        if url := site_url(f"/sources/{source['key']}/"):
            entry["path"] = url
        if source["date"]:
            entry["version"] = source["date"]
        sources.append(entry)
    return sources


def _source_table() -> str:
    from .models import SourceDocument

    return next(t.name for t in tables() if t.model is SourceDocument)


def contributors_of(data) -> list[dict]:
    publishers = sorted({s["publisher"] for s in data.get(_source_table(), []) if s["publisher"]})
    return [
        {"title": "WPS Portal", "roles": ["creator", "publisher"]},
        *({"title": p, "roles": ["author of a source document"]} for p in publishers),
    ]


def table_schema(table: Table) -> dict:
    fields = []
    for c in table.columns:
        spec = {"name": c.name, "type": c.type, "description": c.description}
        constraints = {}
        if c.required:
            constraints["required"] = True
        if c.enum:
            constraints["enum"] = c.enum
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    foreign_keys = []
    for c in table.columns:
        if c.references:
            reference = {"fields": [_target_key(c.references)]}
            if c.references != table.name:
                reference = {"resource": c.references, **reference}
            foreign_keys.append({"fields": [c.name], "reference": reference})
    schema = {"$schema": TABLESCHEMA_PROFILE, "fields": fields, "primaryKey": table.primary_key}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _target_key(name: str) -> str:
    return next(t for t in tables() if t.name == name).primary_key[0]


def datapackage(version: str, date: str, data) -> dict:
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": (
            "The published records of the WPS Portal: partners, programmes, activities, case "
            "studies, approaches, lessons, the citations that support each of them, and the "
            "translations of their texts with each one's status. " + str(LICENCE_SCOPE)
        ),
        "version": version,
        "created": f"{date}T00:00:00Z",
        **({"homepage": site_url("/data/")} if site_url() else {}),
        "licenses": [{"name": LICENCE["id"], "path": LICENCE["url"], "title": LICENCE["name"]}],
        "sources": sources_of(data),
        "contributors": contributors_of(data),
        "keywords": ["women, peace and security", "UNSCR 1325", "Western Balkans", "UN Women"],
        "resources": [
            {
                "$schema": RESOURCE_PROFILE,
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": f"data/{t.name}.csv",
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(t),
            }
            for t in tables()
        ],
    }


def csv_text(table: Table, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow(["" if row[c.name] is None else neutralise(row[c.name]) for c in table.columns])
    return out.getvalue()


def citation_cff(version: str | None, date: str | None) -> str:
    """CITATION.cff (CFF 1.2.0) for a release, or (no version) for the repository."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these data, please cite them as below."',
        "type: dataset",
        f'title: "{TITLE}"',
        "authors:",
        '  - name: "WPS Portal"',
        f"license: {LICENCE['id']}",
        *([f'url: "{site_url("/data/")}"'] if site_url() else []),
        "keywords:",
        '  - "women, peace and security"',
        '  - "UNSCR 1325"',
        '  - "Western Balkans"',
    ]
    if version:
        lines += [f'version: "{version}"', f"date-released: {date}"]
    return "\n".join(lines) + "\n"


def _zip(path: Path, entries: list[tuple[str, bytes]], date: str) -> None:
    stamp = (*datetime.date.fromisoformat(date).timetuple()[:3], 0, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, content)


def _sqlite(path: Path, data, release_info: dict) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA page_size = 4096")
        with connection:
            for table in tables():
                definitions = []
                for c in table.columns:
                    kind = {"integer": "INTEGER", "boolean": "INTEGER"}.get(c.type, "TEXT")
                    definitions.append(f'"{c.name}" {kind}' + (" NOT NULL" if c.required else ""))
                keys = ", ".join(f'"{k}"' for k in table.primary_key)
                definitions.append(f"PRIMARY KEY ({keys})")
                for c in table.columns:
                    if c.references:
                        target = _target_key(c.references)
                        definitions.append(
                            f'FOREIGN KEY ("{c.name}") REFERENCES "{c.references}" ("{target}")'
                        )
                connection.execute(f'CREATE TABLE "{table.name}" ({", ".join(definitions)})')
                names = [c.name for c in table.columns]
                placeholders = ", ".join("?" for _ in names)
                connection.executemany(
                    f'INSERT INTO "{table.name}" VALUES ({placeholders})',
                    [[row[n] for n in names] for row in data[table.name]],
                )
                for c in table.columns:
                    if c.references or (table.parent and c.name in table.parent):
                        connection.execute(
                            f'CREATE INDEX "{table.name}_{c.name}" ON "{table.name}" ("{c.name}")'
                        )
            connection.execute('CREATE TABLE "release" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)')
            connection.executemany(
                'INSERT INTO "release" VALUES (?, ?)', sorted((k, str(v)) for k, v in release_info.items())
            )
        connection.execute("VACUUM")
    finally:
        connection.close()


def _datasette_metadata(version, date) -> dict:
    return {
        "title": f"{TITLE} — release {version}",
        "license": LICENCE["title"],
        "license_url": LICENCE["url"],
        "source": "WPS Portal",
        **({"source_url": site_url("/data/")} if site_url() else {}),
        "databases": {
            f"{NAME}-{version}": {
                "tables": {t.name: {"description": t.description} for t in tables()},
            }
        },
    }


def file_names(version: str) -> dict[str, str]:
    return {
        "package": f"{NAME}-{version}-datapackage.zip",
        "sqlite": f"{NAME}-{version}.sqlite",
        "json": f"{NAME}-{version}.json",
        "datapackage": "datapackage.json",
        "citation": "CITATION.cff",
        "datasette": "datasette-metadata.json",
    }


MANIFEST = "release.json"
SUMS = "SHA256SUMS"


def releases_dir() -> Path:
    return Path(settings.RELEASES_DIR)


def build(output: Path | str | None = None, *, date: str | None = None) -> Release:
    """Build the release of the current published data into ``output`` (default:
    ``releases_dir()/<version>/``). A release of the same version already there is kept as it is
    (the same data gives the same bytes). Written into a temporary folder first and moved in
    whole, so a reader never sees half a release."""
    data, latest = collect()
    date = date or latest or "1970-01-01"
    datetime.date.fromisoformat(date)  # a bad --date is refused here
    # The address is in the files (links), so it is part of what the version names.
    digest = content_hash({"site_url": site_url() or "", "tables": data})
    version = f"{date}-{digest[:8]}"
    target = Path(output) if output else releases_dir() / version
    if (target / MANIFEST).is_file():
        manifest = json.loads((target / MANIFEST).read_text())
        if manifest.get("version") == version:
            return Release(version, date, target, manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        names = file_names(version)
        package = datapackage(version, date, data)
        package_json = (_json(package, indent=2) + "\n").encode()
        citation = citation_cff(version, date).encode()
        entries = [("datapackage.json", package_json), ("CITATION.cff", citation)]
        entries += [(f"data/{t.name}.csv", csv_text(t, data[t.name]).encode()) for t in tables()]
        _zip(work / names["package"], entries, date)
        (work / names["datapackage"]).write_bytes(package_json)
        (work / names["citation"]).write_bytes(citation)
        info = {"version": version, "date": date, "licence": LICENCE["id"], "content_sha256": digest}
        _sqlite(work / names["sqlite"], data, info)
        dump = {**info, "licence_url": LICENCE["url"], "tables": data}
        (work / names["json"]).write_text(_json(dump, indent=1) + "\n", encoding="utf-8")
        (work / names["datasette"]).write_text(_json(_datasette_metadata(version, date), indent=2) + "\n")
        files = []
        for kind, name in names.items():
            content = (work / name).read_bytes()
            files.append(
                {
                    "kind": kind,
                    "name": name,
                    "bytes": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
            )
        sums = "".join(f"{f['sha256']}  {f['name']}\n" for f in files)
        (work / SUMS).write_text(sums)
        manifest = {
            **info,
            "files": files,
            "tables": [
                {"name": t.name, "title": t.title, "description": t.description, "rows": len(data[t.name])}
                for t in tables()
            ],
        }
        (work / MANIFEST).write_text(_json(manifest, indent=2) + "\n")
        existing = load(target)
        if existing is not None and existing.version == version:  # another worker was first
            return existing
        if target.exists():  # --output pointed at an older release: replaced whole
            shutil.rmtree(target)
        try:
            os.replace(work, target)
        except OSError:  # another worker moved the same release in meanwhile
            existing = load(target)
            if existing is None or existing.version != version:
                raise
            return existing
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Release(version, date, target, manifest)


# -- the release /data/ serves ----------------------------------------------------------------------


def load(directory: Path) -> Release | None:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return Release(manifest["version"], manifest["date"], directory, manifest)


def current_release() -> Release:
    """The release of the data as it is now, built on first request into ``releases_dir()``.

    Its version is remembered in the shared cache under the registry's generation
    (``wps_portal.cache``), which every write bumps through the ``services.on_write`` hook (and the
    signals' safety net): after a write, the next request builds the release of the new data.
    Unchanged data rebuilds nothing (the version folder is there)."""
    from django.core.cache import cache

    from . import cache as counts

    cache_key = counts.key("release")
    version = cache.get(cache_key)
    if version:
        release = load(releases_dir() / version)
        if release is not None:
            return release
    release = build()
    cache.set(cache_key, release.version, timeout=counts.timeout())
    return release
