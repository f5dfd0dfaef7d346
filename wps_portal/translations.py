"""Translated content: record texts per field and language, each with its translation status.

The columns are django-modeltranslation's (``title_en``, ``title_sq``, ``title_sr``,
``title_sr_latn``, ``title_bs``; registered in each app's ``translation.py``), one per field and
language of ``wps_portal.languages.ALL_LANGUAGES`` whatever catalogues are compiled. English is
the source; a text with no translation reads in English.

Each translated model also has ``translation_status``: ``{"sq": {"title": "machine-assisted",
"summary": "reviewed"}, …}`` with the statuses of ``wps_portal.languages`` (a translation with no
status is taken as machine-assisted: a reader is never told more than is known; an empty
translation is missing). Serbian Latin is never typed: every save fills its columns and statuses
from the Serbian Cyrillic ones by transliteration (``sync_generated``), as the interface's
Serbian Latin catalogue is generated from the Cyrillic one.

Readers get a text through :func:`translated` (the ``{% translated %}`` template tag, the API):
the text, the language it is in and its status, so a page can mark it with ``lang`` and say when
nobody has reviewed it or when it falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass

import cyrtranslit
from django.db import models
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import languages

MISSING = "missing"  # no translation: the text is shown in English
STATUS_CHOICES = [
    (languages.MACHINE_ASSISTED, _("machine-assisted")),
    (languages.REVIEWED, _("reviewed")),
]
# Languages a translation is typed in (Serbian Latin is generated from Serbian Cyrillic).
TRANSLATED_LANGUAGES = tuple(
    code
    for code, _name in languages.ALL_LANGUAGES
    if code != languages.SOURCE_LANGUAGE and code not in languages.TRANSLITERATED
)
TARGET_LANGUAGES = tuple(code for code, _name in languages.ALL_LANGUAGES if code != languages.SOURCE_LANGUAGE)


def column(field: str, code: str) -> str:
    """The column of ``field`` in language ``code``: title, sr-latn → title_sr_latn."""
    return f"{field}_{code.replace('-', '_')}"


def to_latin(text: str) -> str:
    """Serbian Cyrillic in Latin script (content, the Latin catalogue, local names)."""
    return cyrtranslit.to_latin(text, "sr") if text else text


def to_cyrillic(text: str) -> str:
    """Serbian Latin in Cyrillic script (a local name recorded only in Latin)."""
    return cyrtranslit.to_cyrillic(text, "sr") if text else text


def translated_fields(model) -> tuple[str, ...]:
    """The fields of ``model`` registered for translation (empty for other models)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        registered = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(f.name for f in model._meta.fields if f.name in registered)  # in the model's order


def content_language(code: str | None = None) -> str:
    """The content language for interface language ``code`` (default: the active one)."""
    code = (code or translation.get_language() or languages.SOURCE_LANGUAGE).lower()
    known = [c for c, _name in languages.ALL_LANGUAGES]
    if code in known:
        return code
    base = code.split("-")[0]
    return base if base in known else languages.SOURCE_LANGUAGE


def translated_labels(model, field: str, key: str = "slug"):
    """A function of [(key, stored label), …] to {key: ``field`` in the reader's language} for the
    records of ``model`` that have a translation there: one query, none in English (facet labels)."""

    def labels(rows: list) -> dict:
        code = content_language()
        keys = [value for value, _label in rows]
        if code == languages.SOURCE_LANGUAGE or not keys:
            return {}
        rows = model._base_manager.filter(**{f"{key}__in": keys}).values_list(key, column(field, code))
        return {value: text for value, text in rows if text and text.strip()}

    return labels


@dataclass(frozen=True)
class TranslatedText:
    """A text as a reader in ``asked`` sees it: in ``language``, with ``status`` (None for the
    English source read in English, "missing" when a translation is missing and English shown)."""

    text: str
    language: str
    status: str | None
    asked: str

    @property
    def fallback(self) -> bool:
        return self.status == MISSING

    @property
    def unreviewed(self) -> bool:
        return self.status == languages.MACHINE_ASSISTED

    @property
    def lang_attr(self) -> str:
        """` lang="sq"` for a text on a page in another language than English, or in another
        language than English on an English page (whose ``<html lang>`` covers English); the code
        is one of languages.ALL_LANGUAGES."""
        if self.asked == self.language == languages.SOURCE_LANGUAGE:
            return ""
        return mark_safe(f' lang="{self.language}"')  # noqa: S308 (a code from the fixed list)

    def __str__(self) -> str:
        return self.text


def translated(instance, field: str, code: str | None = None) -> TranslatedText:
    """``instance``'s ``field`` for a reader of language ``code`` (default: the active one)."""
    asked = content_language(code)
    source = getattr(instance, column(field, languages.SOURCE_LANGUAGE), None)
    if source is None:  # not a translated field
        return TranslatedText(getattr(instance, field) or "", languages.SOURCE_LANGUAGE, None, asked)
    if asked == languages.SOURCE_LANGUAGE:
        return TranslatedText(source or "", asked, None, asked)
    text = getattr(instance, column(field, asked)) or ""
    if not text.strip():
        return TranslatedText(source or "", languages.SOURCE_LANGUAGE, MISSING if source else None, asked)
    return TranslatedText(text, asked, instance.status_of(field, asked), asked)


def status_in(statuses: dict | None, field: str, code: str, text: str | None) -> str:
    """The status of a translation ``text`` of ``field`` into ``code``, given a record's
    ``translation_status``: missing when the text is empty, else as recorded, machine-assisted
    when nothing is recorded (a reader is never told more than is known)."""
    if not (text or "").strip():
        return MISSING
    status = (statuses or {}).get(code, {}).get(field)
    return status if status in languages.STATUSES else languages.MACHINE_ASSISTED


class TranslatedContent(models.Model):
    """A record whose texts are translated per field and language (see the module docstring)."""

    translation_status = models.JSONField(
        _("translation status"),
        default=dict,
        blank=True,
        help_text=_(
            'Per language and field: {"sq": {"title": "machine-assisted", "summary": "reviewed"}}. '
            "Serbian Latin follows Serbian Cyrillic."
        ),
    )

    class Meta:
        abstract = True

    def status_of(self, field: str, code: str) -> str:
        """The status of the translation of ``field`` into ``code`` (:func:`status_in`)."""
        return status_in(self.translation_status, field, code, getattr(self, column(field, code), ""))

    def set_status(self, code: str, field: str, status: str | None) -> None:
        statuses = {lang: dict(fields) for lang, fields in (self.translation_status or {}).items()}
        if status:
            statuses.setdefault(code, {})[field] = status
        else:
            statuses.get(code, {}).pop(field, None)
        self.translation_status = {lang: fields for lang, fields in statuses.items() if fields}

    def sync_generated(self) -> None:
        """Serbian Latin from Serbian Cyrillic: each text transliterated, with the same status;
        statuses of missing translations dropped."""
        for generated, source in languages.TRANSLITERATED.items():
            for field in translated_fields(type(self)):
                text = getattr(self, column(field, source)) or ""
                setattr(self, column(field, generated), to_latin(text))
                status = (self.translation_status or {}).get(source, {}).get(field) if text else None
                self.set_status(generated, field, status)
        for code in list(self.translation_status or {}):
            for field in list(self.translation_status.get(code, {})):
                if not (getattr(self, column(field, code), "") or "").strip():
                    self.set_status(code, field, None)

    def translations_for_search(self) -> list[str]:
        """Every non-English text of this record (Serbian Latin left out: the search folds Cyrillic
        to Latin itself)."""
        return [
            text
            for field in translated_fields(type(self))
            for code in TRANSLATED_LANGUAGES
            if (text := getattr(self, column(field, code), ""))
        ]

    def save(self, *args, **kwargs):
        self.sync_generated()
        super().save(*args, **kwargs)


def track_in_history(model) -> None:
    """Make ``model``'s history (django-simple-history) keep its translation columns, registered on
    its historical model too: each version (bulk ones included) stores them, the history page's
    diffs show them, and a revert or a restore brings them back. simple-history fixes the fields
    it tracks when the model class is built, before modeltranslation adds the columns."""
    history = model.history.model
    tracked = {f.name for f in history.tracked_fields}
    extra = [f for f in model._meta.fields if hasattr(f, "translated_field") and f.name not in tracked]
    history.tracked_fields = [*history.tracked_fields, *extra]
    build = history.instance.fget

    def instance(self):
        record = build(self)
        for f in extra:
            setattr(record, f.attname, getattr(self, f.attname))
        return record

    history.instance = property(instance)
