"""How activities and programmes are described in schema.org JSON-LD (``wps_portal.linked_data``)."""

from partners.choices import Role
from wps_portal.linked_data import country_node, describes, ref

from .models import Activity, Programme

# Which schema.org property of an Event names a participant in each role.
ROLE_PROPERTY = {
    Role.FUNDING: "funder",
    Role.ACCOUNTABLE: "organizer",
    Role.EXTENDING: "organizer",
    Role.IMPLEMENTING: "organizer",
    Role.PARTNER: "contributor",
    Role.PARTICIPANT: "attendee",
    Role.BENEFICIARY: "attendee",
}
# An undated activity is an Action (no start to give), whose participants are its agents.
UNDATED_PROPERTY = {
    "funder": "agent",
    "organizer": "agent",
    "contributor": "participant",
    "attendee": "participant",
}


@describes(Activity)
def describe_activity(activity, request) -> dict:
    """An Event when its dates are known (at their precision: "2010", "2010-06"), an Action
    when not; where it took place; its participants by role."""
    from partners.linked_data import schema_type

    dated = bool(activity.start)
    countries = [country_node(c, request) for c in activity.countries.all()]
    if activity.location:
        location = [{"@type": "Place", "name": activity.location, "containedInPlace": countries}]
    else:
        location = countries
    node = {
        "@type": "Event" if dated else "Action",
        "name": activity.title,
        "description": activity.summary,
        "location": location,
    }
    if dated:
        node["startDate"] = activity.start
        node["endDate"] = activity.end or activity.start
        node["eventStatus"] = "https://schema.org/EventScheduled"
    for participation in activity.participations.all():
        prop = ROLE_PROPERTY.get(participation.role, "contributor")
        if not dated:
            prop = UNDATED_PROPERTY[prop]
        partner = ref(participation.partner, request, schema_type(participation.partner))
        if partner:
            node.setdefault(prop, [])
            if partner not in node[prop]:
                node[prop].append(partner)
    programme = ref(activity.programme, request, "Project")
    if programme:
        node["about" if dated else "object"] = programme
    return node


@describes(Programme)
def describe_programme(programme, request) -> dict:
    return {
        "@type": "Project",
        "name": programme.name,
        "alternateName": programme.short_name,
        "description": programme.description,
        "foundingDate": str(programme.start_year) if programme.start_year else None,
        "dissolutionDate": str(programme.end_year) if programme.end_year else None,
        "areaServed": [country_node(c, request) for c in programme.countries.all()],
        "parentOrganization": ref(programme.lead, request, "Organization"),
        "department": [
            {
                "@type": "Project",
                "name": phase.name,
                "@id": request.build_absolute_uri(phase.get_absolute_url()),
            }
            for phase in programme.phases.all()
        ],
    }
