"""The admin of translated content: a box per field and language (django-modeltranslation's
``TranslationAdmin``: "Title [sq]", "Title [sr]"…) and, per field and typed language, the
translation's status. Serbian Latin is shown read-only: it is generated from Serbian Cyrillic on
save (``wps_portal.translations``)."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from .admin import PublicAdmin
from .forms import CurationForm, StatusRuleForm
from .translations import STATUS_CHOICES, TRANSLATED_LANGUAGES, column, translated_fields


def status_field_name(field: str, code: str) -> str:
    return f"translation_status_{column(field, code)}"


class TranslationStatusForm(forms.ModelForm):
    """Sets ``translation_status`` from one choice per translated field and typed language."""

    status_fields: tuple[tuple[str, str, str], ...] = ()  # (form field, field, language)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field, code in self.status_fields:
            if name in self.fields:
                recorded = (self.instance.translation_status or {}).get(code, {}).get(field)
                self.fields[name].initial = recorded or STATUS_CHOICES[0][0]

    def clean(self):
        cleaned = super().clean()
        for name, field, code in self.status_fields:
            if name in cleaned:
                self.instance.set_status(code, field, cleaned[name] or None)
        return cleaned


def _status_label(field_label, code: str) -> str:
    return gettext("Status of %(field)s [%(language)s]") % {"field": field_label, "language": code}


_status_label = lazy(_status_label, str)


def translation_status_form(base: type[forms.ModelForm], model) -> type[forms.ModelForm]:
    """``base`` with a status choice for each translated field of ``model`` and typed language."""
    attrs, names = {}, []
    for code in TRANSLATED_LANGUAGES:
        for field in translated_fields(model):
            name = status_field_name(field, code)
            attrs[name] = forms.ChoiceField(
                label=_status_label(model._meta.get_field(field).verbose_name, code),
                choices=STATUS_CHOICES,
                required=False,
                help_text=_("Leave machine-assisted until a native speaker has reviewed the text."),
            )
            names.append((name, field, code))
    attrs["status_fields"] = tuple(names)
    return type(f"{model.__name__}TranslationForm", (TranslationStatusForm, base), attrs)


def generated_columns(model) -> list[str]:
    return [column(field, "sr-latn") for field in translated_fields(model)]


class TranslatedAdmin(PublicAdmin, TranslationAdmin):
    """A public record with translated content: PublicAdmin's curation (write path, history,
    reason box, publish rules) and modeltranslation's boxes per language, plus the statuses."""

    exclude = ("translation_status",)  # edited as one choice per field and language

    def __init__(self, model, admin_site):
        self.form = translation_status_form(
            self.form if self.form is not forms.ModelForm else CurationForm, model
        )
        self.readonly_fields = (*self.readonly_fields, *generated_columns(model))
        super().__init__(model, admin_site)


class TranslatedStackedInline(TranslationStackedInline):
    """An inline of translated records (a case study's lessons); statuses on the record's own page."""

    form = StatusRuleForm
