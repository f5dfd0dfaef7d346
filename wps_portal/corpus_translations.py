"""Translations of the corpus's texts: ``fixtures/translations/<code>.yaml``, one file per language.

    language: sq
    status: machine-assisted        # the status of every text in the file unless an entry says otherwise
    case-studies:
      <case study slug>: {title: "…", summary: "…"}
    approaches:
      <approach slug>: {title: "…", summary: "…", status: reviewed}   # every field of this entry
    lessons:
      <lesson slug>: {title: "…", text: "…", status: {text: reviewed}} # one field of this entry

Each app's ``corpus`` module declares which of its kinds are translated (``TRANSLATED``: a list of
:class:`Translated`). Serbian Latin has no file: the write path generates it from Serbian Cyrillic.

Loading follows the ownership rule (README, "Who owns the data"), per record, field and language,
a translation being its text and status together: a translation empty in the database is filled;
one nobody edited since the last load (``LoadedRecord`` of kind "<kind> translation <code>")
follows the file; one a curator changed is kept and reported as differing (``--overwrite``
replaces it). Every value is checked first; an error names the file, the record and the field and
the whole load rolls back. The export writes the database's translations back in the same format.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import languages, services
from .translations import TRANSLATED_LANGUAGES, column

FOLDER = "translations"
ALLOWED_TOP = ("language", "status")


@dataclass(frozen=True)
class Translated:
    """A translated kind of record: its section in the files, its model, natural key and fields."""

    section: str  # "case-studies"
    name: str  # "case study", for messages and the load's records
    model: str  # "casestudies.CaseStudy"
    fields: tuple[str, ...]
    key: str = "slug"

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def state_kind(self, code: str) -> str:
        return f"{self.name} translation {code}"


def from_corpus_modules(attribute: str) -> list:
    """The items each app's ``corpus`` module lists under ``attribute`` (``KINDS``,
    ``TRANSLATED``), in the apps' order; an app without a corpus module lists none."""
    items = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.corpus")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.corpus":
                raise
            continue
        items.extend(getattr(module, attribute, []))
    return items


def translated_kinds() -> list[Translated]:
    return from_corpus_modules("TRANSLATED")


# -- reading ---------------------------------------------------------------------------------


def _text(value, where: str, error) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise error("must be text (quote it if it is meant as text)", where)
    return str(value).strip()


def _status(value, where: str, error) -> str:
    if value not in languages.STATUSES:
        raise error(
            f"{value!r} is not a translation status (allowed: {', '.join(languages.STATUSES)})", where
        )
    return value


def read_file(path: Path, root: Path, kinds: list[Translated]) -> tuple[str, dict]:
    """A translation file as ``(code, {section: {key: {field: (text, status)}}})``; CorpusError
    names the file, record and field of the first bad value."""
    from .corpus import CorpusError, read_yaml

    file = str(path.relative_to(root))
    record = ""

    def error(message: str, field: str = ""):
        return CorpusError(message, file=file, record=record, field=field)

    data = read_yaml(path, root)
    if not isinstance(data, dict):
        raise error("must hold a mapping: language, status and a section per kind of record")
    by_section = {kind.section: kind for kind in kinds}
    unknown = [k for k in data if k not in ALLOWED_TOP and k not in by_section]
    if unknown:
        raise error(f"unknown section (allowed: {', '.join([*ALLOWED_TOP, *by_section])})", str(unknown[0]))
    code = data.get("language")
    if code not in TRANSLATED_LANGUAGES:
        raise error(
            f"{code!r} is not a language translated by hand (allowed: {', '.join(TRANSLATED_LANGUAGES)})",
            "language",
        )
    if path.stem != code:
        raise error(f"the file of language {code!r} is {FOLDER}/{code}.yaml", "language")
    default_status = _status(data.get("status", languages.MACHINE_ASSISTED), "status", error)
    parsed: dict = {}
    for section, kind in by_section.items():
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise error("must be a mapping of records by their slug", section)
        parsed[section] = {}
        for key, entry in entries.items():
            record = f"{kind.key}={key}"
            if not isinstance(entry, dict):
                raise error(f"expected a mapping of fields ({', '.join(kind.fields)}, status)")
            unknown = [k for k in entry if k not in (*kind.fields, "status")]
            if unknown:
                raise error(
                    f"unknown field (allowed: {', '.join([*kind.fields, 'status'])})", str(unknown[0])
                )
            statuses = entry.get("status", default_status)
            if isinstance(statuses, dict):
                for name in statuses:
                    if name not in kind.fields:
                        raise error(f"unknown field (allowed: {', '.join(kind.fields)})", f"status.{name}")
                statuses = {
                    name: _status(statuses.get(name, default_status), f"status.{name}", error)
                    for name in kind.fields
                }
            else:
                status = _status(statuses, "status", error)
                statuses = dict.fromkeys(kind.fields, status)
            texts = {name: _text(entry.get(name), name, error) for name in kind.fields}
            parsed[section][str(key)] = {
                name: (texts[name], statuses[name]) for name in kind.fields if texts[name]
            }
    return code, parsed


# -- loading ---------------------------------------------------------------------------------


def load_translations(ctx, report, *, overwrite: bool = False) -> None:
    """Apply every translation file under ``ctx.directory/translations`` (see the module
    docstring), inside the corpus load's transaction."""
    from .corpus import CorpusError, Difference
    from .models import LoadedRecord

    folder = ctx.directory / FOLDER
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        return
    kinds = translated_kinds()
    report.files += len(paths)
    states = {
        (s.kind, s.key): s
        for s in LoadedRecord.objects.filter(
            kind__in=[k.state_kind(c) for k in kinds for c in TRANSLATED_LANGUAGES]
        )
    }
    records = {
        kind.section: {getattr(o, kind.key): o for o in kind.model_class._default_manager.all()}
        for kind in kinds
    }
    new_states, changed_states = [], []
    for path in paths:
        ctx.file, ctx.record, ctx.path = str(path.relative_to(ctx.directory)), "", ""
        code, parsed = read_file(path, ctx.directory, kinds)
        ctx.files_read.add(ctx.file)
        for kind in kinds:
            for position, (key, wanted) in enumerate(parsed[kind.section].items()):
                ctx.record = f"{kind.key}={key}"
                instance = records[kind.section].get(key)
                if instance is None:
                    raise CorpusError(
                        f"no {kind.name} with {kind.key} {key!r}",
                        file=ctx.file,
                        record=ctx.record,
                        field=kind.section,
                    )
                state = states.get((kind.state_kind(code), key))
                last = state.values if state else {}
                # A record this load created gets its translations as part of its creation: no
                # field of it is reported as updated.
                new_record = (kind.model_class, instance.pk) in ctx.created_here
                changed = False
                for name, (text, status) in wanted.items():
                    current = [getattr(instance, column(name, code)) or "", instance.status_of(name, code)]
                    if current == [text, status]:
                        continue
                    label = f"{name} [{code}]"
                    difference = Difference(kind.name, key, label, _shown(current), _shown([text, status]))
                    untouched = not current[0] or list(last.get(name) or []) == current
                    if untouched:
                        if not new_record:
                            report.updated_fields.append(difference)
                    elif overwrite:
                        report.overwritten.append(difference)
                    else:
                        report.kept.append(difference)
                        continue
                    setattr(instance, column(name, code), text)
                    instance.set_status(code, name, status)
                    changed = True
                if changed:
                    _save(ctx, instance)
                    ctx.updated += 1  # rows written
                values = {name: list(pair) for name, pair in wanted.items()}
                if state is None:
                    new_states.append(
                        LoadedRecord(
                            kind=kind.state_kind(code),
                            key=key,
                            file=ctx.file,
                            position=position,
                            values=values,
                        )
                    )
                elif state.values != values or state.file != ctx.file or state.position != position:
                    state.values, state.file, state.position = values, ctx.file, position
                    changed_states.append(state)
    ctx.file = ctx.record = ctx.path = ""
    LoadedRecord.objects.bulk_create(new_states, batch_size=500)
    LoadedRecord.objects.bulk_update(changed_states, ["file", "position", "values"], batch_size=500)


def _shown(pair) -> str:
    text, status = pair
    return f"{text} ({status})" if text else ""


def _save(ctx, instance) -> None:
    try:
        with transaction.atomic():
            services.save(instance)
    except ValidationError as exc:
        raise ctx.error("; ".join(exc.messages)) from None
    except IntegrityError as exc:
        raise ctx.error(f"refused by the database: {exc}") from None


# -- export ----------------------------------------------------------------------------------


def export_translations(directory: Path) -> list[str]:
    """Write ``translations/<code>.yaml`` for each language with a translation in the database
    (and remove the file of a language with none). Returns the files written."""
    from .corpus import _Dumper

    kinds = translated_kinds()
    folder = directory / FOLDER
    written = []
    for code in TRANSLATED_LANGUAGES:
        sections: dict = {}
        counts: Counter = Counter()
        for kind in kinds:
            entries = {}
            for instance in kind.model_class._default_manager.all():
                texts = {
                    name: text
                    for name in kind.fields
                    if (text := (getattr(instance, column(name, code)) or "").strip())
                }
                if texts:
                    entries[getattr(instance, kind.key)] = (
                        texts,
                        {n: instance.status_of(n, code) for n in texts},
                    )
                    counts.update(entries[getattr(instance, kind.key)][1].values())
            sections[kind.section] = entries
        path = folder / f"{code}.yaml"
        if not counts:
            if path.exists():
                path.unlink()
            continue
        default = max(languages.STATUSES, key=lambda s: (counts[s], s == languages.MACHINE_ASSISTED))
        document: dict = {"language": code, "status": default}
        for section, entries in sections.items():
            if not entries:
                continue
            document[section] = {}
            for key, (texts, statuses) in entries.items():
                entry = dict(texts)
                others = {n: s for n, s in statuses.items() if s != default}
                if others and len(set(statuses.values())) == 1:
                    entry["status"] = next(iter(others.values()))
                elif others:
                    entry["status"] = others
                document[section][key] = entry
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        written.append(str(path.relative_to(directory)))
    return written
