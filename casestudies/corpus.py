"""Corpus kinds of this app: approaches (with lessons and issue boxes) and case studies."""

from activities.models import Activity
from partners.models import Country, Partner
from wps_portal.corpus import PUBLIC_FIELDS, Kind, LoadContext, fields, public_values, text

from .models import Approach, CaseStudy, IssueBox, Lesson, Result

LESSON_FIELDS = ("order", "text")


def _sync_lessons(ctx: LoadContext, owner_field: str, owner, lessons: list) -> None:
    seen_orders = set()
    for lesson in lessons or []:
        fields(ctx, lesson, required=LESSON_FIELDS, optional=("title", "slug", *PUBLIC_FIELDS))
        if lesson["order"] in seen_orders:
            raise ctx.error(f"two lessons have order {lesson['order']}", "lessons")
        seen_orders.add(lesson["order"])
        slug = lesson.get("slug") or f"{owner.slug}-lesson-{lesson['order']}"
        ctx.claim("lesson", slug)
        instance = ctx.upsert(
            Lesson,
            {"slug": slug},
            {
                owner_field: owner,
                "order": lesson["order"],
                "title": text(lesson, "title"),
                "text": text(lesson, "text"),
                **public_values(ctx, lesson),
            },
        )
        ctx.sync_citations(instance, lesson.get("citations"))
    stale = Lesson.objects.filter(**{owner_field: owner}).exclude(order__in=seen_orders)
    ctx.stats.deleted += stale.delete()[0]


def load_approach(record: dict, ctx: LoadContext) -> None:
    fields(
        ctx,
        record,
        required=("slug", "kind", "title"),
        optional=("number", "order", "summary", "lessons", "issue_boxes", *PUBLIC_FIELDS),
    )
    ctx.claim("approach", record["slug"])
    approach = ctx.upsert(
        Approach,
        {"slug": record["slug"]},
        {
            "kind": record["kind"],
            "number": record.get("number"),
            "order": record.get("order") or record.get("number") or 0,
            "title": text(record, "title"),
            "summary": text(record, "summary"),
            **public_values(ctx, record),
        },
    )
    ctx.sync_citations(approach, record.get("citations"))
    _sync_lessons(ctx, "approach", approach, record.get("lessons"))
    for order, box in enumerate(record.get("issue_boxes") or [], start=1):
        fields(ctx, box, required=("slug", "title", "body"), optional=("order", *PUBLIC_FIELDS))
        ctx.claim("issue box", box["slug"])
        instance = ctx.upsert(
            IssueBox,
            {"slug": box["slug"]},
            {
                "approach": approach,
                "title": text(box, "title"),
                "body": text(box, "body"),
                "order": box.get("order") or order,
                **public_values(ctx, box),
            },
        )
        ctx.sync_citations(instance, box.get("citations"))


def load_case_study(record: dict, ctx: LoadContext) -> None:
    fields(
        ctx,
        record,
        required=("number", "slug", "title", "section"),
        optional=(
            "country", "start_year", "summary", "background", "what_was_done", "approaches",
            "activities", "partners", "results", "lessons", *PUBLIC_FIELDS,
        ),
    )  # fmt: skip
    ctx.claim("case study", record["slug"])
    case_study = ctx.upsert(
        CaseStudy,
        {"slug": record["slug"]},
        {
            "number": record["number"],
            "title": text(record, "title"),
            "section": record["section"],
            "country": ctx.get(Country, "country", record.get("country"), lookup="code"),
            "start_year": record.get("start_year"),
            "summary": text(record, "summary"),
            "background": text(record, "background"),
            "what_was_done": text(record, "what_was_done"),
            **public_values(ctx, record),
        },
    )
    ctx.set_m2m(case_study, "approaches", ctx.get_many(Approach, "approaches", record.get("approaches")))
    ctx.set_m2m(case_study, "activities", ctx.get_many(Activity, "activities", record.get("activities")))
    roles = []
    for index, row in enumerate(record.get("partners") or []):
        fields(ctx, row, required=("partner", "role"), optional=("note",))
        partner = ctx.get(Partner, f"partners[{index}].partner", row["partner"])
        roles.append({"partner_id": partner.pk, "role": row["role"], "note": text(row, "note")})
    ctx.sync_children(case_study.partner_roles.all(), ("partner_id", "role"), roles, case_study=case_study)
    ctx.sync_citations(case_study, record.get("citations"))

    results = []
    for result in record.get("results") or []:
        fields(ctx, result, required=("order", "text"), optional=("citations",))
        results.append(result)
    orders = [r["order"] for r in results]
    if len(orders) != len(set(orders)):
        raise ctx.error("two results have the same order", "results")
    for result in results:
        instance = ctx.upsert(
            Result, {"case_study": case_study, "order": result["order"]}, {"text": text(result, "text")}
        )
        ctx.sync_citations(instance, result.get("citations"))
    ctx.stats.deleted += case_study.results.exclude(order__in=orders).delete()[0]
    _sync_lessons(ctx, "case_study", case_study, record.get("lessons"))


KINDS = [
    Kind("approaches", "approaches/*.yaml", load_approach),
    Kind("case studies", "casestudies/*.yaml", load_case_study),
]
