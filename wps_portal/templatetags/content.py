"""Translated content on pages: ``{% load content %}``.

    {% translated object "summary" as summary %}   the text for the page's language (TranslatedText)
    <p{{ summary.lang_attr }}>{{ summary }}</p>    lang="…" when the page is not in English
    {% translation_note title summary %}           one small note for the texts given: machine-assisted
                                                   and not yet reviewed, or not yet translated (English)

The rule (which text, which language, which status) is ``wps_portal.translations.translated``.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wps_portal.translations import TranslatedText, translated

register = template.Library()


def translated_text(obj, field: str) -> TranslatedText:
    return translated(obj, field)


register.simple_tag(translated_text, name="translated")


@register.simple_tag
def english():
    """`` lang="en"`` on a text that exists only in English (a partner's description, an
    activity's title and summary) when the page is in another language, so that screen readers
    and translation tools read it as English."""
    language = get_language()
    return mark_safe(' lang="en"') if language and language != "en" else ""


@register.simple_tag
def translation_note(*texts) -> str:
    """One small note under the texts given (several fields of one card or section)."""
    texts = [t for t in texts if isinstance(t, TranslatedText) and t.text]
    notes = []
    if any(t.unreviewed for t in texts):
        notes.append(("machine-assisted", _("Machine-assisted translation, not yet reviewed")))
    if any(t.fallback for t in texts):
        notes.append(("missing", _("Not yet translated: shown in English")))
    return mark_safe(  # noqa: S308 (each part escaped by format_html)
        "".join(
            format_html('<p class="translation-note small" data-status="{}">{}</p>', status, note)
            for status, note in notes
        )
    )
