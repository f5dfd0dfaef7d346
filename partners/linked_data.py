"""How partners and countries are described in schema.org JSON-LD (``wps_portal.linked_data``)."""

from wps_portal.linked_data import country_node, describes, ref, refs

from .choices import PartnerKind, RelationType
from .models import Country, Partner

# The most specific schema.org type of each kind of partner; Organization for the rest.
SCHEMA_TYPE = {
    PartnerKind.WOMENS_NGO: "NGO",
    PartnerKind.NGO: "NGO",
    PartnerKind.GOVERNMENT: "GovernmentOrganization",
    PartnerKind.SECURITY: "GovernmentOrganization",
    PartnerKind.JUDICIARY: "GovernmentOrganization",
    PartnerKind.PARLIAMENT: "GovernmentOrganization",
    PartnerKind.MUNICIPAL: "GovernmentOrganization",
    PartnerKind.MEDIA: "NewsMediaOrganization",
    PartnerKind.ACADEMIC: "ResearchOrganization",
}


def schema_type(partner) -> str:
    return SCHEMA_TYPE.get(partner.kind, "Organization")


@describes(Partner)
def describe_partner(partner, request) -> dict:
    """Its names, country, parent body and units, and the networks it is a member of or that
    have it as a member (from the page's published-only prefetches)."""
    outgoing = list(partner.relations_from.all())
    incoming = list(partner.relations_to.all())
    aliases = [a.name for a in partner.aliases.all()]
    return {
        "@type": schema_type(partner),
        "name": partner.name,
        "alternateName": [name for name in (partner.acronym, *aliases) if name],
        "description": partner.description,
        "foundingDate": str(partner.founded_year) if partner.founded_year else None,
        "address": {"@type": "PostalAddress", "addressCountry": partner.country.code}
        if partner.country
        else None,
        "location": country_node(partner.country, request) if partner.country else None,
        "parentOrganization": ref(partner.parent, request, "Organization"),
        "subOrganization": refs(partner.units.all(), request, "Organization"),
        "memberOf": refs(
            [r.target for r in outgoing if r.type == RelationType.MEMBER_OF], request, "Organization"
        ),
        "member": refs(
            [r.source for r in incoming if r.type == RelationType.MEMBER_OF], request, "Organization"
        ),
        "sameAs": [url for url in (getattr(partner, "url", ""),) if url],
    }


@describes(Country)
def describe_country(country, request) -> dict:
    node = country_node(country, request)
    node.pop("@id")
    if country.note:
        node["description"] = f"{country.name}: {country.note}"
    return node
