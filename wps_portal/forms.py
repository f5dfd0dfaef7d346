"""Admin form pieces shared by every app: partial dates as one field, the status rule, a change
reason, and the excerpt's length limit."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import DatePrecision
from .dates import iso_partial, parse_partial_date
from .i18n import interpolate_lazy, plural_forms
from .models import EXCERPT_MAX_LENGTH

REASON_FIELD = "change_reason"


class PartialDateField(forms.CharField):
    """One box for a date known to a year, a month or a day: "2010", "2010-06", "2010-06-15".

    Cleans to ``(date, precision)`` (``(None, None)`` when empty), with wps_portal.dates doing the
    parsing, so the admin accepts exactly what the fixtures and the API accept.
    """

    default_error_messages = {
        "invalid": _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2010, 2010-06, 2010-06-15)."),
        "impossible": _("%(value)s is not a date: %(reason)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("A year, a month or a day: 2010, 2010-06 or 2010-06-15."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY-MM-DD")
        self.widget.attrs.setdefault("size", 12)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return (None, None)
        try:
            return parse_partial_date(value)
        except ValueError as error:
            if "is not a date of the form" in str(error):
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            # "2010-13": the shape is right, the calendar says no
            raise ValidationError(
                self.error_messages["impossible"], code="impossible", params={"value": value, "reason": error}
            ) from None

    def validate(self, value):
        super().validate("" if value == (None, None) else value)

    def run_validators(self, value):
        pass  # the length of the typed text is the widget's business; the date is checked above


class StatusRuleForm(forms.ModelForm):
    """Refuses a change of status (publishing, unpublishing) by a user who may not publish."""

    def clean(self):
        cleaned = super().clean()
        if "status" in self.fields and "status" in cleaned:
            original = self.instance.status if not self.instance._state.adding else None
            try:
                services.check_status_change(original, cleaned["status"])
            except ValidationError as error:
                self.add_error(None, error)  # error is {"status": …}
        return cleaned


class CurationForm(StatusRuleForm):
    """The form of every curated model's admin page: its fields, plus why the change is made.

    ``partial_dates`` maps a form field to the model's (date, precision) pair; the model's two
    fields are left out of the form (``Meta.exclude`` in the subclass) and set from the one box.
    """

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=500,
        help_text=_("Optional. Kept in the record's history with the change (e.g. the source checked)."),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    partial_dates: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (date_field, precision_field) in self.partial_dates.items():
            if name in self.fields and self.instance.pk is not None:
                self.initial.setdefault(
                    name,
                    iso_partial(getattr(self.instance, date_field), getattr(self.instance, precision_field)),
                )

    def clean(self):
        cleaned = super().clean()
        for name, (date_field, precision_field) in self.partial_dates.items():
            if name in cleaned:
                date, precision = cleaned[name]
                setattr(self.instance, date_field, date)
                setattr(self.instance, precision_field, precision or DatePrecision.YEAR)
        return cleaned

    def _get_validation_exclusions(self):
        # The model's date fields are not in the form but are set from it: validate them (and the
        # constraints on them, e.g. start before end) like any other field.
        exclusions = super()._get_validation_exclusions()
        for pair in self.partial_dates.values():
            exclusions -= set(pair)
        return exclusions

    def _update_errors(self, errors):
        # A model error on a date field belongs to the box it was typed in.
        if hasattr(errors, "error_dict"):
            owners = {f: name for name, pair in self.partial_dates.items() for f in pair}
            remapped = {}
            for field, messages in errors.error_dict.items():
                key = owners.get(field, field)
                if key not in self.fields and key != NON_FIELD_ERRORS:
                    key = NON_FIELD_ERRORS
                remapped.setdefault(key, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class ExcerptWidget(forms.Textarea):
    """A textarea that will not take more than the excerpt limit, with a live count of what is left
    (static/js/char-counter.js; without the script the browser still stops at the limit). The
    count's words come from the catalogues, in each plural form of the page's language
    (``data-char-counter``: its language and {plural category: message})."""

    def __init__(self, attrs=None):
        defaults = {"maxlength": EXCERPT_MAX_LENGTH, "rows": 3, "cols": 60}
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        counter = {
            "language": get_language(),
            "forms": plural_forms(
                lambda n: ngettext(
                    "%(left)s / %(limit)s character left", "%(left)s / %(limit)s characters left", n
                )
            ),
        }
        attrs = {**(attrs or {}), "data-char-counter": json.dumps(counter, ensure_ascii=False)}
        return super().get_context(name, value, attrs)

    class Media:
        js = ["js/char-counter.js"]
        css = {"all": ["css/admin-curation.css"]}


class CitationForm(StatusRuleForm):
    excerpt = forms.CharField(
        label=_("Excerpt"),
        max_length=EXCERPT_MAX_LENGTH,
        widget=ExcerptWidget,
        help_text=interpolate_lazy(
            ngettext_lazy(
                "Verbatim text of the source, at most %(n)d character.",
                "Verbatim text of the source, at most %(n)d characters.",
                EXCERPT_MAX_LENGTH,
            ),
            {"n": EXCERPT_MAX_LENGTH},
        ),
        error_messages={
            "max_length": ngettext_lazy(
                "An excerpt is at most %(limit_value)d character of the source (this one has "
                "%(show_value)d): shorten it to the sentence that supports the record.",
                "An excerpt is at most %(limit_value)d characters of the source (this one has "
                "%(show_value)d): shorten it to the sentence that supports the record.",
                "limit_value",
            )
        },
    )
