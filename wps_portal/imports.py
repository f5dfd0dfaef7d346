"""Bulk import in the admin (django-import-export): the pieces every app's import resource shares.

An import is previewed first (a dry run in a transaction that is rolled back: the admin lists what
would be created, changed and skipped, or each invalid row with its row number and column), and
only then confirmed. The confirmed import runs in one transaction, rolled back whole when any row
is invalid. Every write goes through the one write path (``services.writing(Via.IMPORT, user=…)``,
``services.save``, ``services.changed``), so search text and history follow as for any write.

Cells accept what a curator types: a vocabulary's label ("Women's NGO") as well as its key
("womens-ngo"), a country by ISO code or name, a partial date "2011", "2011-06" or "2011-06-15".
Child rows go in one cell, items separated by ``|`` (see each resource's ``help_text``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats import base_formats

from . import services
from .choices import Status
from .dates import iso_partial, parse_partial_date
from .excerpts import normalise as normalise_text

SEPARATOR = "|"


def cell_text(value) -> str:
    """A cell as text: spreadsheets give numbers (2011.0) and dates where CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return str(value).strip()


def split_cell(value) -> list[str]:
    """The items of a cell written ``a|b|c`` (empty items dropped)."""
    return [item.strip() for item in cell_text(value).split(SEPARATOR) if item.strip()]


def _fold(text: str) -> str:
    return normalise_text(str(text)).casefold()


def choice_value(choices, value, *, what: str) -> str:
    """The key of ``choices`` (a TextChoices class) that ``value`` names by key or by label."""
    text = cell_text(value)
    for key, label in choices.choices:
        if _fold(text) in (_fold(key), _fold(label)):
            return key
    allowed = "; ".join(f"{key} ({label})" for key, label in choices.choices)
    raise ValueError(
        _("%(value)r is not a %(what)s. Allowed: %(allowed)s.")
        % {"value": text, "what": what, "allowed": allowed}
    )


class ChoiceWidget(widgets.Widget):
    """A vocabulary cell: its key or its label, case-insensitive; stored and exported as the key."""

    def __init__(self, choices, what: str, **kwargs):
        self.choices, self.what = choices, what
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if cell_text(value) == "":
            return None
        return choice_value(self.choices, value, what=self.what)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class KeyWidget(widgets.ForeignKeyWidget):
    """A related record named by its natural key (a slug); an unknown key is an error on the cell."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s with %(field)s %(value)r.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": text}
            ) from None


class PartialDateField(Field):
    """One cell for a partial date stored as (first day, precision): "2011", "2011-06",
    "2011-06-15", or a spreadsheet's date cell (a day)."""

    def __init__(self, column_name: str, date_field: str, precision_field: str):
        self.date_field, self.precision_field = date_field, precision_field
        super().__init__(attribute=date_field, column_name=column_name)

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = row.get(self.column_name)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if value in (None, ""):
            date, precision = None, "year"
        else:
            try:
                date, precision = parse_partial_date(
                    value if isinstance(value, datetime.date) else cell_text(value)
                )
            except ValueError:
                raise ValueError(
                    _("%(value)r is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2011-06.")
                    % {"value": cell_text(value)}
                ) from None
        setattr(instance, self.date_field, date)
        setattr(instance, self.precision_field, precision)

    def get_value(self, instance):
        return iso_partial(getattr(instance, self.date_field), getattr(instance, self.precision_field))

    def export(self, instance, **kwargs):
        return self.get_value(instance) or ""


def status_field() -> Field:
    return Field(attribute="status", column_name="status", widget=ChoiceWidget(Status, "status"))


class ChildColumns:
    """Columns that hold child rows (a partner's aliases, an activity's participants).

    For each name in ``child_columns`` the resource defines ``parse_<name>(value, instance)``
    (raises ValueError with a message naming the bad item), ``current_<name>(instance)`` (the
    stored rows, in the parsed form) and ``write_<name>(instance, parsed)`` (returns the rows
    written). A column absent from the file leaves the children as they are; an empty cell
    removes them.
    """

    child_columns: tuple[str, ...] = ()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._import_children = {}
        for column in self.child_columns:
            if column not in row:
                continue
            try:
                instance._import_children[column] = getattr(self, f"parse_{column}")(row[column], instance)
            except ValueError as error:
                errors[column] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        is_new = original is None or original.pk is None
        for column, parsed in getattr(instance, "_import_children", {}).items():
            current = () if is_new else getattr(self, f"current_{column}")(original)
            if tuple(parsed) != tuple(current):
                return False  # the record's fields are unchanged, its child rows are not
        return True

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        rows = []
        for column, parsed in getattr(instance, "_import_children", {}).items():
            rows += getattr(self, f"write_{column}")(instance, parsed) or []
        services.changed(instance, *rows)  # search text (with aliases), history hooks


class PortalResource(ChildColumns, resources.ModelResource):
    """The base of every import: natural keys, model validation, one transaction, one write path."""

    help_text = ""  # what the import page says about this resource's columns
    # Model fields whose errors belong to a column of another name (an activity's start_date: start).
    error_columns: dict[str, str] = {}

    class Meta:
        abstract = True
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, *args, user=None, **kwargs):
        with services.writing(services.Via.IMPORT, user=user, reason=kwargs.get("file_name") or ""):
            return super().import_data(dataset, *args, user=user, **kwargs)

    def before_import_row(self, row, **kwargs):
        # A row without a slug gets one made from its name or title, as the admin's form does.
        if "slug" in row and not cell_text(row.get("slug")):
            title = next((cell_text(row[k]) for k in ("name", "title") if cell_text(row.get(k))), "")
            row["slug"] = slugify(title)[:120]
        elif "slug" in row:
            row["slug"] = cell_text(row["slug"])

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = {}
            for name, messages in error.update_error_dict({}).items():
                errors.setdefault(self.error_columns.get(name, name), []).extend(messages)
            raise ValidationError(errors) from None

    def do_instance_save(self, instance, is_create):
        services.save(instance, validate=False)  # validated with every row error by validate_instance


class ImportAdminMixin(ImportMixin):
    """The admin's "Import" button: CSV or XLSX, a preview before anything is saved, for users who
    may both add and change the model."""

    import_formats = [base_formats.CSV, base_formats.XLSX]
    import_template_name = "admin/wps_import.html"

    def has_import_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The confirmed import too is all or nothing: a row that became invalid since the preview
        # rolls the whole file back (import-export would otherwise save the valid rows).
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.error(
                request,
                _("Nothing was imported: some rows are invalid. Import the file again to see which."),
            )
            return redirect(request.path.replace("process_import/", "import/"))
        return super().process_result(result, request)

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_help"] = [resource.help_text for resource in self.resource_classes]
        return context
