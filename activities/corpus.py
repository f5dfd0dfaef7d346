"""Corpus kinds of this app: programmes (with phases and thematic areas) and activities."""

from partners.models import Country, Partner
from wps_portal.corpus import (
    PUBLIC_FIELDS,
    Kind,
    LoadContext,
    fields,
    partial_date,
    public_values,
    text,
)

from .models import Activity, Phase, Programme, ThematicArea


def load_programme(record: dict, ctx: LoadContext) -> None:
    fields(
        ctx,
        record,
        required=("slug", "name"),
        optional=(
            "short_name", "description", "start_year", "end_year", "countries", "lead", "phases",
            "thematic_areas", *PUBLIC_FIELDS,
        ),
    )  # fmt: skip
    ctx.claim("programme", record["slug"])
    programme = ctx.upsert(
        Programme,
        {"slug": record["slug"]},
        {
            "name": text(record, "name"),
            "short_name": text(record, "short_name"),
            "description": text(record, "description"),
            "start_year": record.get("start_year"),
            "end_year": record.get("end_year"),
            "lead": ctx.get(Partner, "lead", record.get("lead")),
            **public_values(ctx, record),
        },
    )
    ctx.set_m2m(
        programme, "countries", ctx.get_many(Country, "countries", record.get("countries"), lookup="code")
    )
    ctx.sync_citations(programme, record.get("citations"))
    for phase in record.get("phases") or []:
        fields(
            ctx,
            phase,
            required=("number", "slug", "name"),
            optional=("start_year", "end_year", "description"),
        )
        ctx.claim("phase", phase["slug"])
        ctx.upsert(
            Phase,
            {"slug": phase["slug"]},
            {
                "programme": programme,
                "number": phase["number"],
                "name": text(phase, "name"),
                "start_year": phase.get("start_year"),
                "end_year": phase.get("end_year"),
                "description": text(phase, "description"),
            },
        )
    for order, area in enumerate(record.get("thematic_areas") or [], start=1):
        fields(ctx, area, required=("slug", "name"), optional=("code", "description"))
        ctx.claim("thematic area", area["slug"])
        ctx.upsert(
            ThematicArea,
            {"slug": area["slug"]},
            {
                "programme": programme,
                "code": text(area, "code"),
                "name": text(area, "name"),
                "description": text(area, "description"),
                "order": order,
            },
        )


def load_activity(record: dict, ctx: LoadContext) -> None:
    fields(
        ctx,
        record,
        required=("slug", "title", "type"),
        optional=(
            "summary", "programme", "phase", "thematic_area", "start", "end", "location",
            "countries", "participants", "outputs", *PUBLIC_FIELDS,
        ),
    )  # fmt: skip
    ctx.claim("activity", record["slug"])
    start, start_precision = partial_date(ctx, record, "start")
    end, end_precision = partial_date(ctx, record, "end")
    if end and not start:
        raise ctx.error("an end needs a start", "start")
    activity = ctx.upsert(
        Activity,
        {"slug": record["slug"]},
        {
            "title": text(record, "title"),
            "summary": text(record, "summary"),
            "type": record["type"],
            "programme": ctx.get(Programme, "programme", record.get("programme")),
            "phase": ctx.get(Phase, "phase", record.get("phase")),
            "thematic_area": ctx.get(ThematicArea, "thematic_area", record.get("thematic_area")),
            "start_date": start,
            "start_precision": start_precision,
            "end_date": end,
            "end_precision": end_precision,
            "location": text(record, "location"),
            **public_values(ctx, record),
        },
    )
    ctx.set_m2m(
        activity, "countries", ctx.get_many(Country, "countries", record.get("countries"), lookup="code")
    )
    participations = []
    for index, participant in enumerate(record.get("participants") or []):
        fields(ctx, participant, required=("partner", "role"), optional=("note",))
        partner = ctx.get(Partner, f"participants[{index}].partner", participant["partner"])
        participations.append(
            {"partner_id": partner.pk, "role": participant["role"], "note": text(participant, "note")}
        )
    ctx.sync_children(
        activity.participations.all(), ("partner_id", "role"), participations, activity=activity
    )
    outputs = []
    for order, output in enumerate(record.get("outputs") or []):
        fields(ctx, output, required=("quantity", "unit"), optional=("note",))
        outputs.append(
            {
                "order": order,
                "quantity": output["quantity"],
                "unit": text(output, "unit"),
                "note": text(output, "note"),
            }
        )
    ctx.sync_children(activity.outputs.all(), ("order",), outputs, activity=activity)
    ctx.sync_citations(activity, record.get("citations"))


KINDS = [
    Kind("programmes", "programmes.yaml", load_programme),
    Kind("activities", "activities/*.yaml", load_activity),
]
