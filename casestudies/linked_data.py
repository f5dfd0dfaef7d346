"""How case studies and approaches are described in schema.org JSON-LD (``wps_portal.linked_data``)."""

from wps_portal.licence import LICENCE
from wps_portal.linked_data import country_node, describes, portal_organization, refs, sources_of

from .models import Approach, CaseStudy


def _part_of(record, request) -> dict:
    """A case study or approach summarises a part of its source report: the report's publisher
    is its author and its date the report's; the portal publishes the summary."""
    sources = sources_of(record)
    first = sources[0] if sources else None
    return {
        "author": {"@type": "Organization", "name": first.publisher} if first else None,
        "datePublished": first.date_iso if first else None,
        "publisher": portal_organization(request),
        "license": LICENCE["url"],
        "isBasedOn": [request.build_absolute_uri(s.get_absolute_url()) for s in sources],
    }


@describes(CaseStudy)
def describe_case_study(case_study, request) -> dict:
    from partners.linked_data import schema_type

    partners = []
    for role in case_study.partner_roles.all():
        node = refs([role.partner], request, schema_type(role.partner))
        if node and node[0] not in partners:
            partners.extend(node)
    return {
        "@type": "Report",
        "name": case_study.title,
        "headline": str(case_study),
        "position": case_study.number,
        "abstract": case_study.summary,
        "about": partners + refs(case_study.approaches.all(), request, "CreativeWork"),
        "spatialCoverage": country_node(case_study.country, request) if case_study.country else None,
        "temporalCoverage": f"{case_study.start_year}/.." if case_study.start_year else None,
        **_part_of(case_study, request),
    }


@describes(Approach)
def describe_approach(approach, request) -> dict:
    return {
        "@type": "CreativeWork",
        "name": approach.title,
        "genre": approach.get_kind_display(),
        "position": approach.number,
        "abstract": approach.summary,
        "hasPart": [
            {
                "@type": "CreativeWork",
                "name": box.title,
                "@id": request.build_absolute_uri(box.get_absolute_url()),
            }
            for box in approach.issue_boxes.all()
        ],
        **_part_of(approach, request),
    }
