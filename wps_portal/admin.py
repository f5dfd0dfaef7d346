"""Admin for the core: source documents, citations, and the shared pieces every app's admin uses."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils import timezone

from . import services
from .choices import Status
from .models import Citation, SourceDocument


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    fields = ("source", "section", "excerpt", "order")
    autocomplete_fields = ("source",)


class PublicAdmin(admin.ModelAdmin):
    """Base for every public record: curation state, citations inline, bulk publish/unpublish."""

    inlines = [CitationInline]
    list_filter = ("status",)
    readonly_fields = ("created", "updated")
    actions = ["publish", "unpublish"]
    save_on_top = True

    @admin.action(description="Publish the selected records")
    def publish(self, request, queryset):
        updated = services.update(queryset, status=Status.PUBLISHED, updated=timezone.now())
        self.message_user(request, f"{updated} record(s) published.")

    @admin.action(description="Return the selected records to draft")
    def unpublish(self, request, queryset):
        updated = services.update(queryset, status=Status.DRAFT, updated=timezone.now())
        self.message_user(request, f"{updated} record(s) returned to draft.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines: a partner's aliases are searched, and an inline lesson by its own words.
        inline_rows = [row for formset in formsets for row in formset.new_objects]
        inline_rows += [row for formset in formsets for row, _fields in formset.changed_objects]
        services.changed(form.instance, *inline_rows)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("key", "title", "publisher", "date_display", "filename")
    search_fields = ("key", "title", "publisher")
    prepopulated_fields = {"key": ("title",)}


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "content_type", "object_id", "source", "section")
    list_filter = ("source", "content_type")
    search_fields = ("excerpt", "section")
    list_select_related = ("source", "content_type")
    autocomplete_fields = ("source",)
