"""Corpus kinds of this app: countries, partners (with aliases and relations), relations."""

from wps_portal.corpus import (
    PUBLIC_FIELDS,
    Kind,
    LoadContext,
    fields,
    public_values,
    text,
)

from .models import Country, Partner, PartnerRelation

RELATION_FIELDS = ("start_year", "end_year", "note")


def load_country(record: dict, ctx: LoadContext) -> None:
    fields(ctx, record, required=("code", "name"), optional=("region", "note"))
    ctx.claim("country", record["code"])
    ctx.upsert(
        Country,
        {"code": record["code"]},
        {"name": text(record, "name"), "region": text(record, "region"), "note": text(record, "note")},
    )


def load_partner(record: dict, ctx: LoadContext) -> None:
    fields(
        ctx,
        record,
        required=("slug", "name", "kind", "scope"),
        optional=(
            "acronym", "aliases", "country", "founded_year", "parent", "description", "relations",
            *PUBLIC_FIELDS,
        ),
    )  # fmt: skip
    ctx.claim("partner", record["slug"])
    partner = ctx.upsert(
        Partner,
        {"slug": record["slug"]},
        {
            "name": text(record, "name"),
            "acronym": text(record, "acronym"),
            "kind": record["kind"],
            "scope": record["scope"],
            "country": ctx.get(Country, "country", record.get("country"), lookup="code"),
            "founded_year": record.get("founded_year"),
            "description": text(record, "description"),
            **public_values(ctx, record),
        },
        exclude_clean=("parent",),
    )
    ctx.memo.setdefault("partner_ids", set()).add(partner.pk)
    ctx.at_end("relations", lambda: _write_relations(ctx))
    aliases = []
    for alias in record.get("aliases") or []:
        if isinstance(alias, str):
            alias = {"name": alias}
        fields(ctx, alias, required=("name",), optional=("kind", "language"))
        if alias["name"] in (partner.name, partner.acronym) or any(
            a["name"] == alias["name"] for a in aliases
        ):
            continue  # a name is not its own alias; a repeated alias is one alias
        aliases.append(
            {
                "name": str(alias["name"]).strip(),
                "kind": alias.get("kind") or "spelling",
                "language": str(alias.get("language") or "").strip(),
            }
        )
    ctx.sync_children(partner.aliases.all(), ("name",), aliases, partner=partner)
    ctx.sync_citations(partner, record.get("citations"))

    parent_slug = record.get("parent")
    relations = [{**relation, "source": record["slug"]} for relation in record.get("relations") or []]

    def link():
        parent = ctx.get(Partner, "parent", parent_slug)
        if parent is not None and parent.pk == partner.pk:
            raise ctx.error("a partner cannot be its own parent", "parent")
        ctx.upsert(Partner, {"pk": partner.pk}, {"parent": parent})
        for relation in relations:
            load_relation(relation, ctx)

    ctx.defer(link)


def load_relation(record: dict, ctx: LoadContext) -> None:
    """Collect one statement of a link; all statements are merged and written at the end.

    The same link (source, type, target) may be stated on a partner and in a relations file: it is
    one link, whose details are the first non-empty value of each field across the statements.
    Writing once, after merging, keeps a second load from changing anything.
    """
    fields(ctx, record, required=("source", "type", "target"), optional=RELATION_FIELDS)
    source = ctx.get(Partner, "source", record["source"])
    target = ctx.get(Partner, "target", record["target"])
    statements = ctx.memo.setdefault("relations", {})
    key = (source.pk, record["type"], target.pk)
    values = {
        "start_year": record.get("start_year"),
        "end_year": record.get("end_year"),
        "note": text(record, "note"),
    }
    if key in statements:
        earlier = statements[key][2]
        values = {name: earlier[name] or value for name, value in values.items()}
    statements[key] = (ctx.file, ctx.record, values)
    ctx.at_end("relations", lambda: _write_relations(ctx))


def _write_relations(ctx: LoadContext) -> None:
    statements = ctx.memo.get("relations", {})
    for (source_id, type_, target_id), (file, record, values) in statements.items():
        ctx.file, ctx.record = file, record
        ctx.upsert(PartnerRelation, {"source_id": source_id, "type": type_, "target_id": target_id}, values)
    # Links between corpus partners that the corpus no longer states are removed.
    corpus_partners = ctx.memo.get("partner_ids", set())
    stale = [
        pk
        for pk, key in (
            (r.pk, (r.source_id, r.type, r.target_id))
            for r in PartnerRelation.objects.filter(source_id__in=corpus_partners)
        )
        if key not in statements
    ]
    if stale:
        ctx.stats.deleted += PartnerRelation.objects.filter(pk__in=stale).delete()[0]


KINDS = [
    Kind("countries", "countries.yaml", load_country),
    Kind("partners", "partners/*.yaml", load_partner),
    Kind("relations", "relations/*.yaml", load_relation),
]
