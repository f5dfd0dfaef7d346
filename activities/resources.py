"""Bulk import of activities, with their countries and participants (admin → Activities → Import)."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from partners.choices import Role
from partners.models import Partner
from partners.resources import CountryWidget
from wps_portal.imports import (
    ChoiceWidget,
    KeyWidget,
    PartialDateField,
    PortalResource,
    choice_value,
    split_cell,
    status_field,
)

from .choices import ActivityType
from .models import Activity, Participation, Phase, Programme, ThematicArea


class ActivityResource(PortalResource):
    help_text = _(
        "One activity a row, found by its slug (a new slug creates an activity; an empty one is "
        "made from the title). type: the key or the label (capacity-building or Capacity "
        "building). start and end: 2011, 2011-06 or 2011-06-15. programme, phase, thematic_area: "
        "slugs. countries: ISO codes or names separated by | (XK|Serbia). participants: "
        "partner-slug:role separated by |, the role by key or label "
        "(kosovo-womens-network:implementing|un-women:Funding). status: draft (the default) or "
        "published. A missing countries or participants column leaves them as they are; an empty "
        "cell removes them."
    )
    type = Field(
        attribute="type", column_name="type", widget=ChoiceWidget(ActivityType, _("type of activity"))
    )
    start = PartialDateField("start", "start_date", "start_precision")
    end = PartialDateField("end", "end_date", "end_precision")
    programme = Field(attribute="programme", column_name="programme", widget=KeyWidget(Programme, "slug"))
    phase = Field(attribute="phase", column_name="phase", widget=KeyWidget(Phase, "slug"))
    thematic_area = Field(
        attribute="thematic_area", column_name="thematic_area", widget=KeyWidget(ThematicArea, "slug")
    )
    status = status_field()
    countries = Field(column_name="countries")
    participants = Field(column_name="participants")

    child_columns = ("countries", "participants")
    error_columns = {
        "start_date": "start",
        "start_precision": "start",
        "end_date": "end",
        "end_precision": "end",
    }

    class Meta(PortalResource.Meta):
        model = Activity
        fields = (
            "slug", "title", "type", "summary", "start", "end", "location", "countries", "programme",
            "phase", "thematic_area", "status", "participants",
        )  # fmt: skip

    # -- countries: "XK|Serbia" -------------------------------------------------------------------

    def parse_countries(self, value, activity):
        widget = CountryWidget()
        return tuple(sorted({widget.clean(item).pk for item in split_cell(value)}))

    def current_countries(self, activity):
        return tuple(sorted(activity.countries.values_list("pk", flat=True)))

    def write_countries(self, activity, pks):
        activity.countries.set(pks)
        return []

    def dehydrate_countries(self, activity):
        return "|".join(activity.countries.values_list("code", flat=True)) if activity.pk else ""

    # -- participants: "partner-slug:role|…" ------------------------------------------------------

    def parse_participants(self, value, activity):
        items = split_cell(value)
        slugs = {item.partition(":")[0].strip() for item in items}
        partners = {p.slug: p.pk for p in Partner.objects.filter(slug__in=slugs)}
        rows = set()
        for item in items:
            slug, colon, role_text = (part.strip() for part in item.partition(":"))
            if not colon or not slug or not role_text:
                raise ValueError(_("%(item)r is not partner-slug:role.") % {"item": item})
            if slug not in partners:
                raise ValueError(_("No partner with slug %(slug)r.") % {"slug": slug})
            role = choice_value(Role, role_text, what=_("role"))
            if (partners[slug], role) in rows:
                raise ValueError(_("%(slug)s is listed twice as %(role)s.") % {"slug": slug, "role": role})
            rows.add((partners[slug], role))
        return tuple(sorted(rows))

    def current_participants(self, activity):
        return tuple(sorted(activity.participations.values_list("partner_id", "role")))

    def write_participants(self, activity, rows):
        # Kept where they stay (a participation's note is not in the file), the others replaced.
        stale = set(self.current_participants(activity)) - set(rows)
        for partner_id, role in stale:
            activity.participations.filter(partner_id=partner_id, role=role).delete()
        new = set(rows) - set(self.current_participants(activity))
        return Participation.objects.bulk_create(
            Participation(activity=activity, partner_id=partner_id, role=role)
            for partner_id, role in sorted(new)
        )

    def dehydrate_participants(self, activity):
        if activity.pk is None:
            return ""
        rows = activity.participations.order_by("partner__slug", "role").values_list("partner__slug", "role")
        return "|".join(f"{slug}:{role}" for slug, role in rows)
