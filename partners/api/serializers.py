from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wps_portal.api.serializers import (
    BaseSerializer,
    CitedSerializer,
    HtmlUrlField,
    ListUrlField,
    RefusesUnknownInput,
    detail_url,
    require,
)
from wps_portal.models import published_prefetch

from ..choices import AliasKind, AliasLanguage, RelationType, Role
from ..models import Alias, Country, Partner, PartnerRelation


class CountrySerializer(BaseSerializer):
    url = detail_url("country", "code")
    html_url = HtmlUrlField()
    lookup_field = "code"
    brief_fields = ("code", "name", "url")

    class Meta:
        model = Country
        fields = ["code", "name", "region", "note", "url", "html_url"]


class AliasSerializer(RefusesUnknownInput, serializers.ModelSerializer):
    """Another name of the partner; written with it as {"name": …, "kind": …, "language": …} (kind
    defaults to "spelling"; language, a local name's BCP 47 tag, to none)."""

    class Meta:
        model = Alias
        fields = ["name", "kind", "language"]
        validators = []  # a name once per partner: checked on the whole list (validate_aliases)

    def validate(self, attrs):
        return require(attrs, "name")


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": (
            "The partner's established name in the request's language (?lang=, else the language "
            "cookie, else Accept-Language), from its local-language aliases, with that language's "
            "BCP 47 tag; a Serbian name recorded in one script is given in the other transliterated. "
            "null in English and where the partner has no local name in that language."
        ),
        "properties": {
            "name": {"type": "string"},
            "language": {"type": "string", "enum": AliasLanguage.values},
        },
        "required": ["name", "language"],
        "example": {"name": "Rrjeti i Grave të Kosovës", "language": "sq"},
    }
)
class LocalNameField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, partner):
        local = partner.local_name()
        return {"name": local[0], "language": local[1]} if local else None


class PartnerSerializer(CitedSerializer):
    url = detail_url("partner")
    html_url = HtmlUrlField()
    country = CountrySerializer(nested=True, required=False, allow_null=True)
    parent = serializers.JSONField(read_only=True)  # replaced in get_fields (self-reference)
    aliases = AliasSerializer(many=True, required=False)
    local_name = LocalNameField()
    relations = serializers.JSONField(read_only=True)  # replaced in get_fields
    activities_url = ListUrlField("activity", "partner")
    case_studies_url = ListUrlField("casestudy", "partner")

    brief_fields = ("slug", "name", "acronym", "url")
    select = {"country": ("country",), "parent": ("parent",)}
    prefetch = {
        **CitedSerializer.prefetch,
        "aliases": ("aliases",),
        "local_name": ("aliases",),  # read from the aliases (one prefetch if both are asked)
        "relations": (
            published_prefetch("relations_from", PartnerRelation.objects.select_related("target"), "target"),
        ),
    }

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "acronym",
            "aliases",
            "local_name",
            "kind",
            "scope",
            "country",
            "parent",
            "founded_year",
            "description",
            "relations",
            "activities_url",
            "case_studies_url",
            *CitedSerializer.common_fields,
        ]

    def validate_aliases(self, aliases):
        seen = set()
        for alias in aliases:
            key = alias["name"].strip().casefold()
            if key in seen:
                raise serializers.ValidationError(_("%(name)s is listed twice.") % {"name": alias["name"]})
            seen.add(key)
        return aliases

    def write_related(self, instance, related):
        if "aliases" not in related:
            return []
        # Kept by name, so an alias that stays keeps its row; the others are replaced.
        wanted = {alias["name"].strip(): alias for alias in related["aliases"]}
        instance.aliases.exclude(name__in=wanted).delete()
        rows = []
        for name, alias in wanted.items():
            row, _created = Alias.objects.update_or_create(
                partner=instance,
                name=name,
                defaults={
                    "kind": alias.get("kind") or AliasKind.SPELLING,
                    "language": alias.get("language", ""),
                },
            )
            rows.append(row)
        return rows

    def expanded_fields(self):
        return {
            "parent": PartnerSerializer(nested=True, required=False, allow_null=True),
            "relations": RelationSerializer(source="relations_from", many=True, read_only=True),
        }


class PartnerRoleSerializer(RefusesUnknownInput, serializers.ModelSerializer):
    """A partner in a role, in a record of an upper layer (an activity's participant, a case
    study's partner); subclasses name the model. A list of them names each (partner, role) once."""

    partner = PartnerSerializer(nested=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        fields = ["partner", "role", "note"]
        validators = []  # uniqueness is checked on the whole list: see unique_roles

    def validate(self, attrs):
        return require(attrs, "partner", "role")

    @staticmethod
    def unique_roles(items):
        seen = set()
        for item in items:  # each item has its partner and role: validate() requires them
            key = (item["partner"].pk, item["role"])
            if key in seen:
                raise serializers.ValidationError(
                    gettext("%(partner)s is listed twice as %(role)s.")
                    % {"partner": item["partner"].slug, "role": item["role"]}
                )
            seen.add(key)
        return items


class RelationSerializer(serializers.ModelSerializer):
    """A typed link to another partner: "is a member of" a network, "founded"…"""

    type = serializers.ChoiceField(choices=RelationType.choices, read_only=True)
    target = PartnerSerializer(nested=True, read_only=True)

    class Meta:
        model = PartnerRelation
        fields = ["type", "target", "start_year", "end_year", "note"]
