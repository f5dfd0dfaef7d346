from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wps_portal.admin import CitationInline, CuratedAdmin, PublicAdmin
from wps_portal.forms import CurationForm, PartialDateField
from wps_portal.imports import ImportAdminMixin

from .models import Activity, Output, Participation, Phase, Programme, ThematicArea
from .resources import ActivityResource


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


class ThematicAreaInline(admin.TabularInline):
    model = ThematicArea
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Programme)
class ProgrammeAdmin(PublicAdmin):
    list_display = ("name", "short_name", "start_year", "end_year", "lead", "status")
    list_select_related = ("lead",)
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("lead",)
    filter_horizontal = ("countries",)
    inlines = [PhaseInline, ThematicAreaInline, CitationInline]


@admin.register(Phase)
class PhaseAdmin(CuratedAdmin):
    list_display = ("name", "programme", "number", "start_year", "end_year")
    list_select_related = ("programme",)
    list_filter = ("programme",)
    search_fields = ("name", "programme__name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ThematicArea)
class ThematicAreaAdmin(CuratedAdmin):
    list_display = ("__str__", "programme", "order")
    list_select_related = ("programme",)
    list_filter = ("programme",)
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ("partner",)


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0


class ActivityForm(CurationForm):
    start = PartialDateField(label=_("Start"), required=False)
    end = PartialDateField(label=_("End"), required=False)
    partial_dates = {"start": ("start_date", "start_precision"), "end": ("end_date", "end_precision")}

    class Meta:
        model = Activity
        exclude = ["start_date", "start_precision", "end_date", "end_precision"]


@admin.register(Activity)
class ActivityAdmin(ImportAdminMixin, PublicAdmin):
    form = ActivityForm
    resource_classes = [ActivityResource]  # bulk import with preview: activities/resources.py
    list_display = ("title", "type", "dates", "location", "programme", "phase", "status")
    list_filter = ("status", "type", "programme", "phase", "countries")
    search_fields = ("title", "slug", "location", "summary", "partners__name", "partners__acronym")
    list_select_related = ("programme", "phase__programme")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("programme", "phase", "thematic_area")
    filter_horizontal = ("countries",)
    inlines = [ParticipationInline, OutputInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "type", "summary")}),
        (_("Programme"), {"fields": ("programme", "phase", "thematic_area")}),
        (
            _("When and where"),
            {
                "fields": (
                    ("start", "end"),
                    "location",
                    "countries",
                )
            },
        ),
        (_("Curation"), {"fields": ("status", "last_verified", "created", "updated")}),
    )

    @admin.display(description=_("Dates"), ordering="start_date")
    def dates(self, obj):
        return obj.dates_display


@admin.register(Participation)
class ParticipationAdmin(CuratedAdmin):
    list_display = ("partner", "role", "activity")
    list_filter = ("role",)
    search_fields = ("partner__name", "partner__acronym", "activity__title")
    autocomplete_fields = ("partner", "activity")
    list_select_related = ("partner", "activity")
