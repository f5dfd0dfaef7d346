"""Admin for the core: source documents, citations, and the shared pieces every app's admin uses.

``CuratedAdmin`` is the base of every curated model's admin. It opens the write context once for
every admin view that writes (``services.writing(Via.ADMIN, user=…, reason=…)``; bulk actions run
as ``Via.ACTION``), saves and deletes through ``wps_portal.services``, and shows the record's
history (django-simple-history) with an old → new diff per field, revert to any version and a
list of deleted records to restore, both for users with ``wps_portal.revert_record`` (Reviewers).
``PublicAdmin`` adds what public records share: citations inline, publish/unpublish actions
(``wps_portal.publish_record``) and the "not verified in over a year" filter.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .choices import Status
from .forms import REASON_FIELD, CitationForm, CurationForm, PartialDateField
from .history import NOT_DIFFED, deleted_records, restore
from .models import Citation, SourceDocument
from .services import Via

PUBLISH = "wps_portal.publish_record"
REVERT = "wps_portal.revert_record"
STALE_AFTER_DAYS = 365


class CitationInline(GenericTabularInline):
    model = Citation
    form = CitationForm
    extra = 0
    fields = ("source", "section", "excerpt", "order")
    autocomplete_fields = ("source",)


class NotVerifiedFilter(admin.SimpleListFilter):
    """Records nobody has checked against their sources for a year, or ever."""

    title = _("verification")
    parameter_name = "verified"
    STALE = "stale"

    def lookups(self, request, model_admin):
        return [(self.STALE, _("Not verified in over a year, or never"))]

    def queryset(self, request, queryset):
        if self.value() == self.STALE:
            return queryset.not_verified_within(days=STALE_AFTER_DAYS)
        return queryset


class CuratedAdmin(SimpleHistoryAdmin):
    """Base of every curated model's admin (see the module docstring)."""

    form = CurationForm
    history_list_display = ["via"]
    deleted_records_template = "admin/deleted_records.html"
    delete_confirmation_template = "admin/curation_delete_confirmation.html"  # with a reason box

    # -- the write context, once for every view that writes --------------------------------------

    def _writing(self, request, via=Via.ADMIN, reason=""):
        typed = request.POST.get(REASON_FIELD, "").strip() if request.method == "POST" else ""
        return services.writing(via, user=request.user, reason=typed or str(reason))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self._writing(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "deleted_records_url": self._deleted_url(request)}
        with self._writing(request):  # list_editable saves; actions open their own Via.ACTION
            return super().changelist_view(request, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with self._writing(request):
            return super().delete_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_revert_permission(request):
            raise PermissionDenied
        with self._writing(request, reason=_("Reverted to an earlier version")):
            return super().history_form_view(request, object_id, version_id, extra_context)

    # -- writes through the one write path --------------------------------------------------------

    def save_model(self, request, obj, form, change):
        services.save(obj, validate=False)  # the form has validated it

    def delete_model(self, request, obj):
        services.delete(obj)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: each record through services.delete (history, search)."""
        with services.writing(Via.ACTION, user=request.user, reason=_("Deleted from the list")):
            for obj in queryset:
                services.delete(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines: a partner's aliases are searched, and an inline lesson by its own words.
        inline_rows = [row for formset in formsets for row in formset.new_objects]
        inline_rows += [row for formset in formsets for row, _fields in formset.changed_objects]
        services.changed(form.instance, *inline_rows)

    # -- the reason box, last on every page ------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", ()) if f != REASON_FIELD]
            fieldsets.append((name, {**options, "fields": fields}))
        if self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request)):
            fieldsets.append((_("Why"), {"fields": [REASON_FIELD]}))
        return fieldsets

    # -- permissions -----------------------------------------------------------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH)

    def has_revert_permission(self, request, obj=None):
        return request.user.has_perm(REVERT) and self.has_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.has_revert_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return not self.has_revert_permission(request, obj)

    # -- history: diffs without the timestamps every version changes ------------------------------

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=NOT_DIFFED, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    # -- deleted records -------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_deleted"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_records_view), name=name),
            *super().get_urls(),
        ]

    def _deleted_url(self, request):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted", current_app=self.admin_site.name)

    def deleted_records_view(self, request):
        """Records of this model that were deleted, latest deletion first; Reviewers restore them."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        if request.method == "POST":
            if not self.has_revert_permission(request):
                raise PermissionDenied
            with self._writing(request, reason=_("Restored after deletion")):
                try:
                    record = restore(self.model, request.POST.get("history_id"))
                except ValidationError as error:
                    self.message_user(request, "; ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(request, _("Restored “%(record)s”.") % {"record": record})
                    return HttpResponseRedirect(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(plural)s") % {"plural": opts.verbose_name_plural},
            "opts": opts,
            "records": deleted_records(self.model)[:200],
            "can_restore": self.has_revert_permission(request),
        }
        return TemplateResponse(request, self.deleted_records_template, context)


class PublicAdmin(CuratedAdmin):
    """Base for every public record: curation state, citations inline, bulk publish/unpublish."""

    inlines = [CitationInline]
    list_filter = ("status",)
    readonly_fields = ("created", "updated")
    actions = ["publish", "unpublish"]
    save_on_top = True

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), NotVerifiedFilter]

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Return the selected records to draft"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        reason = (
            _("Published from the list")
            if status == Status.PUBLISHED
            else _("Returned to draft from the list")
        )
        with services.writing(Via.ACTION, user=request.user, reason=reason):
            count = services.update(queryset, status=status, updated=timezone.now())
        if status == Status.PUBLISHED:
            message = ngettext("%(n)d record published.", "%(n)d records published.", count)
        else:
            message = ngettext("%(n)d record returned to draft.", "%(n)d records returned to draft.", count)
        self.message_user(request, message % {"n": count})


class SourceDocumentForm(CurationForm):
    date_value = PartialDateField(label=_("Date"), required=False)
    partial_dates = {"date_value": ("date", "date_precision")}

    class Meta:
        model = SourceDocument
        exclude = ["date", "date_precision"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(CuratedAdmin):
    form = SourceDocumentForm
    list_display = ("key", "title", "publisher", "date_shown", "filename")
    search_fields = ("key", "title", "publisher")
    prepopulated_fields = {"key": ("title",)}

    @admin.display(description=_("Date"), ordering="date")
    def date_shown(self, obj):
        return obj.date_display


class CitationAdminForm(CitationForm, CurationForm):
    pass


@admin.register(Citation)
class CitationAdmin(CuratedAdmin):
    form = CitationAdminForm
    list_display = ("__str__", "content_type", "object_id", "source", "section")
    list_filter = ("source", "content_type")
    search_fields = ("excerpt", "section")
    list_select_related = ("source", "content_type")
    autocomplete_fields = ("source",)
