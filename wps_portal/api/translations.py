"""The language and translation status of each translated text in an API response.

A translated field (a case study's ``title`` and ``summary``…) keeps its name and reads in the
request's language (``?lang=``, else the language cookie, else Accept-Language; English by
default), falling back to English where there is no translation. ``translations`` says, per
field, which language the text is in and its status (``wps_portal.translations``).
"""

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wps_portal import languages
from wps_portal.translations import MISSING, translated, translated_fields

TEXT_LANGUAGE = {
    "type": "object",
    "properties": {
        "language": {
            "type": "string",
            "enum": [code for code, _name in languages.ALL_LANGUAGES],
            "description": "The language the text is in (English when it falls back to English).",
        },
        "status": {
            "type": "string",
            "enum": [*languages.STATUSES, MISSING],
            "nullable": True,
            "description": (
                "null: the English source, asked in English; machine-assisted: a translation nobody "
                "has reviewed yet; reviewed: reviewed by a native speaker; missing: not yet "
                "translated, the text is the English one."
            ),
        },
    },
    "required": ["language", "status"],
}


@extend_schema_field(
    {
        "type": "object",
        "description": (
            "For each translated field of the record, the language its text is in and the "
            "translation's status. Translated fields read in the request's language (?lang=, "
            "else the language cookie, else Accept-Language; English by default) and fall back "
            "to English."
        ),
        "additionalProperties": TEXT_LANGUAGE,
        "example": {
            "title": {"language": "sq", "status": "machine-assisted"},
            "summary": {"language": "en", "status": "missing"},
        },
    }
)
class TranslationsField(serializers.JSONField):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        out = {}
        for field in translated_fields(type(instance)):
            text = translated(instance, field)
            out[field] = {"language": text.language, "status": text.status}
        return out


class EnglishWrites:
    """A serializer whose writes set the English text whatever the request's language: a client
    whose Accept-Language is Albanian that sends ``title`` corrects the record's title, never
    types an unreviewed translation by accident. (Translations are edited in the admin and the
    fixtures; ``translations`` is read-only.)"""

    def create(self, validated_data):
        with translation.override(languages.SOURCE_LANGUAGE):
            return super().create(validated_data)

    def update(self, instance, validated_data):
        with translation.override(languages.SOURCE_LANGUAGE):
            return super().update(instance, validated_data)
