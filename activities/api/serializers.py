from rest_framework import serializers

from partners.api.serializers import CountrySerializer, PartnerRoleSerializer, PartnerSerializer
from wps_portal.api.serializers import (
    BaseSerializer,
    CitedSerializer,
    HtmlUrlField,
    ListUrlField,
    PartialDateField,
    detail_url,
)
from wps_portal.models import published_prefetch

from ..models import Activity, Output, Participation, Phase, Programme, ThematicArea


class ThematicAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["slug", "code", "name"]


class ProgrammeSerializer(CitedSerializer):
    url = detail_url("programme")
    html_url = HtmlUrlField()
    countries = CountrySerializer(nested=True, many=True, required=False)
    lead = PartnerSerializer(nested=True, required=False, allow_null=True)
    phases = serializers.JSONField(read_only=True)  # replaced in get_fields (PhaseSerializer is below)
    thematic_areas = ThematicAreaSerializer(many=True, read_only=True)
    activities_url = ListUrlField("activity", "programme")

    brief_fields = ("slug", "name", "short_name", "url")
    select = {"lead": ("lead",)}
    prefetch = {
        **CitedSerializer.prefetch,
        "countries": ("countries",),
        "phases": ("phases",),
        "thematic_areas": ("thematic_areas",),
    }

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "short_name",
            "description",
            "start_year",
            "end_year",
            "countries",
            "lead",
            "phases",
            "thematic_areas",
            "activities_url",
            *CitedSerializer.common_fields,
        ]

    def expanded_fields(self):
        return {"phases": PhaseSerializer(nested=True, many=True, read_only=True)}


class PhaseSerializer(BaseSerializer):
    url = detail_url("phase")
    html_url = HtmlUrlField()
    programme = ProgrammeSerializer(nested=True)
    activities_url = ListUrlField("activity", "phase")

    brief_fields = ("slug", "number", "name", "url")
    # html_url is a fragment of the programme's page.
    select = {"programme": ("programme",), "html_url": ("programme",)}

    class Meta:
        model = Phase
        fields = [
            "slug",
            "number",
            "name",
            "programme",
            "start_year",
            "end_year",
            "description",
            "activities_url",
            "url",
            "html_url",
        ]


class OutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Output
        fields = ["quantity", "unit", "note"]


class ParticipantSerializer(PartnerRoleSerializer):
    """A partner taking part in an activity, in a role."""

    class Meta(PartnerRoleSerializer.Meta):
        model = Participation


def participants_prefetch(path="participations"):
    return published_prefetch(
        path, Participation.objects.select_related("partner").order_by("role", "partner__name"), "partner"
    )


class ActivitySerializer(CitedSerializer):
    url = detail_url("activity")
    html_url = HtmlUrlField()
    start = PartialDateField("start_date", "start_precision")
    end = PartialDateField("end_date", "end_precision")
    date_precision = serializers.CharField(read_only=True, allow_null=True)
    countries = CountrySerializer(nested=True, many=True, required=False)
    participants = ParticipantSerializer(source="participations", many=True, required=False)
    programme = ProgrammeSerializer(nested=True, required=False, allow_null=True)
    phase = PhaseSerializer(nested=True, required=False, allow_null=True)
    thematic_area = serializers.SlugRelatedField(
        slug_field="slug", queryset=ThematicArea.objects.all(), required=False, allow_null=True
    )
    outputs = OutputSerializer(many=True, read_only=True)

    brief_fields = ("slug", "title", "start", "end", "url")
    select = {
        "programme": ("programme",),
        "phase": ("phase",),
        "thematic_area": ("thematic_area",),
    }
    prefetch = {
        **CitedSerializer.prefetch,
        "countries": ("countries",),
        "participants": (participants_prefetch(),),
        "outputs": ("outputs",),
    }

    class Meta:
        model = Activity
        fields = [
            "slug",
            "title",
            "summary",
            "type",
            "start",
            "end",
            "date_precision",
            "location",
            "countries",
            "participants",
            "programme",
            "phase",
            "thematic_area",
            "outputs",
            *CitedSerializer.common_fields,
        ]

    def validate_participants(self, participants):
        return PartnerRoleSerializer.unique_roles(participants)

    def write_related(self, instance, related):
        if "participations" in related:
            self.replace_rows(instance.participations, related["participations"])
