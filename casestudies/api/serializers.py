from django.db.models import Prefetch
from django.utils.translation import gettext as _
from rest_framework import serializers

from activities.api.serializers import ActivitySerializer
from activities.models import Activity
from partners.api.serializers import CountrySerializer, PartnerRoleSerializer
from wps_portal.api.serializers import (
    CitationSerializer,
    CitedSerializer,
    HtmlUrlField,
    ListUrlField,
    citations_prefetch,
    detail_url,
)
from wps_portal.api.translations import EnglishWrites, TranslationsField
from wps_portal.models import published_prefetch

from ..models import Approach, CaseStudy, CaseStudyPartner, IssueBox, Lesson, Result


class ApproachSerializer(EnglishWrites, CitedSerializer):
    url = detail_url("approach")
    html_url = HtmlUrlField()
    issue_boxes = serializers.JSONField(read_only=True)  # replaced in get_fields (defined below)
    lessons = serializers.JSONField(read_only=True)  # replaced in get_fields (defined below)
    case_studies_url = ListUrlField("casestudy", "approach")
    translations = TranslationsField()

    brief_fields = ("slug", "number", "title", "url")
    prefetch = {
        **CitedSerializer.prefetch,
        "issue_boxes": (Prefetch("issue_boxes", queryset=IssueBox.objects.published()),),
        "lessons": (Prefetch("lessons", queryset=Lesson.objects.published()),),
    }

    class Meta:
        model = Approach
        fields = [
            "slug",
            "kind",
            "number",
            "title",
            "summary",
            "translations",
            "order",
            "issue_boxes",
            "lessons",
            "case_studies_url",
            *CitedSerializer.common_fields,
        ]

    def expanded_fields(self):
        return {
            "issue_boxes": IssueBoxSerializer(nested=True, many=True, read_only=True),
            "lessons": LessonSerializer(nested=True, many=True, read_only=True),
        }


class IssueBoxSerializer(CitedSerializer):
    url = detail_url("issuebox")
    html_url = HtmlUrlField()
    approach = ApproachSerializer(nested=True, allow_null=True)

    brief_fields = ("slug", "title", "url")
    select = {"approach": ("approach",), "html_url": ("approach",)}

    class Meta:
        model = IssueBox
        fields = [
            "slug",
            "title",
            "approach",
            "body",
            "order",
            *CitedSerializer.common_fields,
        ]


class ResultSerializer(serializers.ModelSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["order", "text", "citations"]


class CaseStudyPartnerSerializer(PartnerRoleSerializer):
    """A partner in a case study, in a role."""

    class Meta(PartnerRoleSerializer.Meta):
        model = CaseStudyPartner


class CaseStudySerializer(EnglishWrites, CitedSerializer):
    url = detail_url("casestudy")
    html_url = HtmlUrlField()
    country = CountrySerializer(nested=True, required=False, allow_null=True)
    results = ResultSerializer(many=True, read_only=True)
    lessons = serializers.JSONField(read_only=True)  # replaced in get_fields
    partners = CaseStudyPartnerSerializer(source="partner_roles", many=True, required=False)
    approaches = ApproachSerializer(nested=True, many=True, required=False)
    activities = ActivitySerializer(nested=True, many=True, required=False)
    translations = TranslationsField()

    brief_fields = ("number", "slug", "title", "url")
    select = {"country": ("country",)}
    prefetch = {
        **CitedSerializer.prefetch,
        "results": (Prefetch("results", queryset=Result.objects.prefetch_related(citations_prefetch())),),
        "lessons": (Prefetch("lessons", queryset=Lesson.objects.published()),),
        "partners": (
            published_prefetch(
                "partner_roles",
                CaseStudyPartner.objects.select_related("partner").order_by("role", "partner__name"),
                "partner",
            ),
        ),
        "approaches": (Prefetch("approaches", queryset=Approach.objects.published()),),
        "activities": (Prefetch("activities", queryset=Activity.objects.published()),),
    }

    class Meta:
        model = CaseStudy
        fields = [
            "number",
            "slug",
            "title",
            "section",
            "country",
            "start_year",
            "summary",
            "translations",
            "background",
            "what_was_done",
            "results",
            "lessons",
            "partners",
            "approaches",
            "activities",
            *CitedSerializer.common_fields,
        ]

    def expanded_fields(self):
        return {"lessons": LessonSerializer(nested=True, many=True, read_only=True)}

    def validate_partners(self, partners):
        return PartnerRoleSerializer.unique_roles(partners)

    def write_related(self, instance, related):
        if "partner_roles" in related:
            return self.replace_rows(instance.partner_roles, related["partner_roles"])
        return []


class LessonSerializer(EnglishWrites, CitedSerializer):
    url = detail_url("lesson")
    html_url = HtmlUrlField()
    case_study = CaseStudySerializer(nested=True, required=False, allow_null=True)
    approach = ApproachSerializer(nested=True, required=False, allow_null=True)
    slug = serializers.SlugField(required=False, read_only=True)
    translations = TranslationsField()

    brief_fields = ("slug", "order", "title", "text", "url")
    select = {
        "case_study": ("case_study",),
        "approach": ("approach",),
        "html_url": ("case_study", "approach"),
    }

    class Meta:
        model = Lesson
        fields = [
            "slug",
            "title",
            "text",
            "translations",
            "case_study",
            "approach",
            "order",
            *CitedSerializer.common_fields,
        ]
        # The order is unique within the owner: checked by the model's constraints on save
        # (DRF's generated validators would make both owners required).
        validators = []

    def validate(self, data):
        case_study = data.get("case_study", getattr(self.instance, "case_study", None))
        approach = data.get("approach", getattr(self.instance, "approach", None))
        if (case_study is None) == (approach is None):
            raise serializers.ValidationError(
                {"case_study": [_("A lesson belongs to exactly one case study or one approach.")]}
            )
        return data
