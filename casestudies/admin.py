from django.contrib import admin

from wps_portal.admin import CitationInline, CuratedAdmin, PublicAdmin
from wps_portal.forms import StatusRuleForm
from wps_portal.translation_admin import TranslatedAdmin, TranslatedStackedInline

from .models import Approach, CaseStudy, CaseStudyPartner, IssueBox, Lesson, Result


class LessonInline(TranslatedStackedInline):
    model = Lesson
    extra = 0
    fields = ("order", "title", "text", "slug", "status")


class ApproachLessonInline(LessonInline):
    fk_name = "approach"


class CaseStudyLessonInline(LessonInline):
    fk_name = "case_study"


class IssueBoxInline(admin.StackedInline):
    model = IssueBox
    form = StatusRuleForm
    extra = 0
    fields = ("order", "title", "slug", "body", "status")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Approach)
class ApproachAdmin(TranslatedAdmin):
    list_display = ("__str__", "kind", "order", "status")
    list_filter = ("status", "kind")
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ApproachLessonInline, IssueBoxInline, CitationInline]


@admin.register(IssueBox)
class IssueBoxAdmin(PublicAdmin):
    list_display = ("title", "approach", "order", "status")
    list_filter = ("status", "approach")
    search_fields = ("title", "body")
    list_select_related = ("approach",)
    prepopulated_fields = {"slug": ("title",)}


class ResultInline(admin.StackedInline):
    model = Result
    extra = 0


class CaseStudyPartnerInline(admin.TabularInline):
    model = CaseStudyPartner
    extra = 1
    autocomplete_fields = ("partner",)


@admin.register(CaseStudy)
class CaseStudyAdmin(TranslatedAdmin):
    list_display = ("number", "title", "section", "country", "start_year", "status")
    list_display_links = ("number", "title")
    list_filter = ("status", "section", "country", "approaches")
    search_fields = ("title", "summary", "slug", "partners__name", "partners__acronym")
    list_select_related = ("country",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("country", "activities")
    filter_horizontal = ("approaches",)
    inlines = [CaseStudyPartnerInline, ResultInline, CaseStudyLessonInline, CitationInline]


@admin.register(Result)
class ResultAdmin(CuratedAdmin):
    list_display = ("__str__", "case_study", "order")
    list_filter = ("case_study",)
    search_fields = ("text",)
    list_select_related = ("case_study",)
    inlines = [CitationInline]


@admin.register(Lesson)
class LessonAdmin(TranslatedAdmin):
    list_display = ("__str__", "title", "case_study", "approach", "order", "status")
    list_filter = ("status", "approach", "case_study")
    search_fields = ("title", "text", "slug")
    list_select_related = ("case_study", "approach")
    autocomplete_fields = ("case_study", "approach")


@admin.register(CaseStudyPartner)
class CaseStudyPartnerAdmin(CuratedAdmin):
    list_display = ("partner", "role", "case_study")
    list_filter = ("role", "case_study")
    search_fields = ("partner__name", "partner__acronym", "case_study__title")
    autocomplete_fields = ("partner", "case_study")
    list_select_related = ("partner", "case_study")
