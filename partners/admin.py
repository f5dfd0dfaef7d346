from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wps_portal.admin import CitationInline, CuratedAdmin, PublicAdmin
from wps_portal.imports import ImportAdminMixin

from .choices import AliasKind
from .models import Alias, Country, Partner, PartnerRelation
from .resources import PartnerResource


@admin.register(Country)
class CountryAdmin(CuratedAdmin):
    list_display = ("code", "name", "region", "note")
    search_fields = ("code", "name")
    list_filter = ("region",)


class LocalNameFilter(admin.SimpleListFilter):
    """Partners by their local-language names: with one, without, or with one whose language is
    not given (it is shown on no page until it is: a curator's to-do list)."""

    title = _("local name")
    parameter_name = "local_name"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Has a local name")),
            ("no", _("Has no local name")),
            ("untagged", _("Has a local name with no language")),
        ]

    def queryset(self, request, queryset):
        local = Alias.objects.filter(kind=AliasKind.LOCAL)
        tagged = local.exclude(language="").values("partner")
        if self.value() == "yes":
            return queryset.filter(pk__in=tagged)
        if self.value() == "no":
            return queryset.exclude(pk__in=tagged)
        if self.value() == "untagged":
            return queryset.filter(pk__in=local.filter(language="").values("partner"))
        return queryset


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ("name", "kind", "language")


class RelationInline(admin.TabularInline):
    model = PartnerRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)
    verbose_name = _("relation to another partner")
    verbose_name_plural = _("relations to other partners (memberships, founding, coordination…)")


@admin.register(Partner)
class PartnerAdmin(ImportAdminMixin, PublicAdmin):
    resource_classes = [PartnerResource]  # bulk import with preview: partners/resources.py
    list_display = ("name", "acronym", "kind", "scope", "country", "parent", "status", "last_verified")
    list_filter = ("status", "kind", "scope", "country", LocalNameFilter)
    search_fields = ("name", "acronym", "aliases__name", "slug")
    list_select_related = ("country", "parent")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "country")
    inlines = [AliasInline, RelationInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "acronym", "kind", "scope", "country", "founded_year", "parent")}),
        (_("Description"), {"fields": ("description",)}),
        (_("Curation"), {"fields": ("status", "last_verified", "created", "updated")}),
    )


@admin.register(Alias)
class AliasAdmin(CuratedAdmin):
    list_display = ("name", "kind", "language", "partner")
    search_fields = ("name", "partner__name")
    list_filter = ("kind", "language")
    autocomplete_fields = ("partner",)
    list_select_related = ("partner",)


@admin.register(PartnerRelation)
class PartnerRelationAdmin(CuratedAdmin):
    list_display = ("source", "type", "target", "start_year", "end_year")
    list_filter = ("type",)
    search_fields = ("source__name", "source__acronym", "target__name", "target__acronym")
    autocomplete_fields = ("source", "target")
    list_select_related = ("source", "target")
