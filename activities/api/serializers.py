from rest_framework import serializers

from partners.api.serializers import CountrySerializer, PartnerRoleSerializer, PartnerSerializer
from wps_portal.api.serializers import (
    BaseSerializer,
    CitedSerializer,
    HtmlUrlField,
    ListUrlField,
    PartialDateField,
    RefusesUnknownInput,
    detail_url,
    require,
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


class OutputSerializer(RefusesUnknownInput, serializers.ModelSerializer):
    """A quantified output, written with its activity; the list's order is kept."""

    class Meta:
        model = Output
        fields = ["quantity", "unit", "note"]

    def validate(self, attrs):
        return require(attrs, "quantity", "unit")


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
    outputs = OutputSerializer(many=True, required=False)

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

    def csv_rows(self, queryset, header, request):
        """The rows of ``queryset`` (the ``header`` fields) as ``to_representation()`` gives them,
        for the CSV, from values() queries: one for each chunk of activities and one per related
        list of that chunk."""
        return activity_csv_rows(queryset, header, request)

    @staticmethod
    def fast_rows(objects, fields, request):
        """The JSON rows of a page of activities (see activity_rows)."""
        by_pk = {
            row["pk"]: row
            for row in Activity.objects.filter(pk__in=[o.pk for o in objects]).values(*ACTIVITY_COLUMNS)
        }
        return list(activity_rows([[by_pk[o.pk] for o in objects]], fields, request))

    def validate_participants(self, participants):
        return PartnerRoleSerializer.unique_roles(participants)

    def write_related(self, instance, related):
        rows = []
        if "participations" in related:
            rows += self.replace_rows(instance.participations, related["participations"])
        if "outputs" in related:
            outputs = [{**output, "order": order} for order, output in enumerate(related["outputs"])]
            rows += self.replace_rows(instance.outputs, outputs)
        return rows


ACTIVITY_COLUMNS = (
    "pk", "slug", "title", "summary", "type", "start_date", "start_precision", "end_date",
    "end_precision", "location", "programme__slug", "programme__name", "programme__short_name",
    "programme__status", "phase__slug", "phase__number", "phase__name", "thematic_area__slug",
    "status", "last_verified",
)  # fmt: skip


def activity_rows(chunks, fields, request):
    """ActivitySerializer's output (the ``fields`` only) for each chunk of ``values(*ACTIVITY_COLUMNS)``
    rows, from one values() query per related list and chunk: no model instance, no field object
    per cell. The same dicts as ``to_representation()`` (tests compare them), several times faster."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from wps_portal.choices import Status
    from wps_portal.dates import iso_partial
    from wps_portal.models import Citation

    def absolute(name, key="slug"):
        path = reverse(name, kwargs={key: "__key__"})
        return (request.build_absolute_uri(path) if request else path).replace("__key__", "{}")

    urls = {
        "activity": absolute("api:activity-detail"),
        "html": absolute("activities:detail"),
        "country": absolute("api:country-detail", "code"),
        "partner": absolute("api:partner-detail"),
        "programme": absolute("api:programme-detail"),
        "phase": absolute("api:phase-detail"),
        "source": absolute("api:source-detail", "key"),
    }
    content_type = ContentType.objects.get_for_model(Activity)
    wanted = set(fields)
    timestamp = serializers.DateTimeField().to_representation  # as CitationSerializer writes it

    def grouped(rows):
        result = {}
        for key, value in rows:
            result.setdefault(key, []).append(value)
        return result

    for chunk in chunks:
        ids = [row["pk"] for row in chunk]
        countries = participants = outputs = citations = {}
        if "countries" in wanted:
            countries = grouped(
                (a, {"code": code, "name": name, "url": urls["country"].format(code)})
                for a, code, name in Activity.countries.through.objects.filter(activity_id__in=ids)
                .order_by("country__name")
                .values_list("activity_id", "country__code", "country__name")
            )
        if "participants" in wanted:
            participants = grouped(
                (
                    a,
                    {
                        "partner": {
                            "slug": slug,
                            "name": name,
                            "acronym": acronym,
                            "url": urls["partner"].format(slug),
                        },
                        "role": role,
                        "note": note,
                    },
                )
                for a, slug, name, acronym, role, note in Participation.objects.filter(
                    activity_id__in=ids, partner__status=Status.PUBLISHED
                )
                .order_by("role", "partner__name")
                .values_list(
                    "activity_id", "partner__slug", "partner__name", "partner__acronym", "role", "note"
                )
            )
        if "outputs" in wanted:
            outputs = grouped(
                (a, {"quantity": quantity, "unit": unit, "note": note})
                for a, quantity, unit, note in Output.objects.filter(activity_id__in=ids)
                .order_by("order", "pk")
                .values_list("activity_id", "quantity", "unit", "note")
            )
        if "citations" in wanted:
            citations = grouped(
                (
                    a,
                    {
                        "source": {"key": key, "title": title, "url": urls["source"].format(key)},
                        "excerpt": excerpt,
                        "section": section,
                        "locator": locator,
                        "verified": verified_at is not None,
                        "verified_at": timestamp(verified_at) if verified_at else None,
                    },
                )
                for a, key, title, excerpt, section, locator, verified_at in Citation.objects.filter(
                    content_type=content_type, object_id__in=ids
                )
                .order_by("order", "pk")
                .values_list(
                    "object_id",
                    "source__key",
                    "source__title",
                    "excerpt",
                    "section",
                    "locator",
                    "verified_at",
                )
            )
        for row in chunk:
            pk, slug = row["pk"], row["slug"]
            programme = None
            if row["programme__slug"] and row["programme__status"] == Status.PUBLISHED:
                programme = {
                    "slug": row["programme__slug"],
                    "name": row["programme__name"],
                    "short_name": row["programme__short_name"],
                    "url": urls["programme"].format(row["programme__slug"]),
                }
            phase = None
            if row["phase__slug"]:
                phase = {
                    "slug": row["phase__slug"],
                    "number": row["phase__number"],
                    "name": row["phase__name"],
                    "url": urls["phase"].format(row["phase__slug"]),
                }
            full = {
                "slug": slug,
                "title": row["title"],
                "summary": row["summary"],
                "type": row["type"],
                "start": iso_partial(row["start_date"], row["start_precision"]),
                "end": iso_partial(row["end_date"], row["end_precision"]),
                "date_precision": row["start_precision"] if row["start_date"] else None,
                "location": row["location"],
                "countries": countries.get(pk, []),
                "participants": participants.get(pk, []),
                "programme": programme,
                "phase": phase,
                "thematic_area": row["thematic_area__slug"],
                "outputs": outputs.get(pk, []),
                "status": row["status"],
                "last_verified": row["last_verified"].isoformat() if row["last_verified"] else None,
                "url": urls["activity"].format(slug),
                "html_url": urls["html"].format(slug),
                "citations": citations.get(pk, []),
            }
            yield {name: full[name] for name in fields}


def activity_csv_rows(queryset, header, request):
    from wps_portal.api.export import CHUNK_SIZE, chunks

    values = queryset.prefetch_related(None).values(*ACTIVITY_COLUMNS)  # the order stays
    return activity_rows(chunks(values, CHUNK_SIZE), header, request)
