"""Corpus kinds of this app: programmes (with phases and thematic areas) and activities.

Each kind is a declaration (wps_portal.corpus.Spec) that drives loading, dry runs and export.
"""

from partners.choices import Role
from wps_portal.corpus import INTEGER, Choice, Field, Invalid, PartialDate, Ref, Refs, Rows, Spec

from .choices import ActivityType

PHASE = Spec(
    "phase",
    "activities.Phase",
    key=("slug",),
    parent="programme",
    related="phases",
    sort=("number",),
    unique_key=True,
    fields=[
        Field("number", INTEGER, required=True),
        Field("slug", required=True),
        Field("name", required=True),
        Field("start_year", INTEGER),
        Field("end_year", INTEGER),
        Field("description"),
    ],
)

THEMATIC_AREA = Spec(
    "thematic area",
    "activities.ThematicArea",
    key=("slug",),
    parent="programme",
    related="thematic_areas",
    position="order",
    position_start=1,
    unique_key=True,
    fields=[Field("code"), Field("slug", required=True), Field("name", required=True), Field("description")],
)

PROGRAMME = Spec(
    "programme",
    "activities.Programme",
    key=("slug",),
    files="programmes.yaml",
    default_file="programmes.yaml",
    public=True,
    fields=[
        Field("slug", required=True),
        Field("name", required=True),
        Field("short_name"),
        Field("description"),
        Field("start_year", INTEGER),
        Field("end_year", INTEGER),
        Field("countries", Refs("partners.Country", "code")),
        Field("lead", Ref("partners.Partner")),
        Field("phases", Rows(PHASE)),
        Field("thematic_areas", Rows(THEMATIC_AREA)),
    ],
)

PARTICIPANT = Spec(
    "participant",
    "activities.Participation",
    key=("partner", "role"),
    parent="activity",
    related="participations",
    fields=[
        Field("partner", Ref("partners.Partner"), required=True),
        Field("role", Choice(Role), required=True),
        Field("note"),
    ],
)

OUTPUT = Spec(
    "output",
    "activities.Output",
    key=("quantity", "unit"),
    parent="activity",
    related="outputs",
    position="order",
    fields=[Field("quantity", INTEGER, required=True), Field("unit", required=True), Field("note")],
)


def _end_needs_start(doc: dict) -> None:
    if doc["end"] and not doc["start"]:
        raise Invalid("an end needs a start", "start")


ACTIVITY = Spec(
    "activity",
    "activities.Activity",
    key=("slug",),
    files="activities/*.yaml",
    default_file="activities/added-in-the-registry.yaml",
    public=True,
    check=_end_needs_start,
    fields=[
        Field("slug", required=True),
        Field("title", required=True),
        Field("type", Choice(ActivityType), required=True),
        Field("summary"),
        Field("programme", Ref("activities.Programme")),
        Field("phase", Ref("activities.Phase")),
        Field("thematic_area", Ref("activities.ThematicArea")),
        Field("start", PartialDate(), attr=("start_date", "start_precision")),
        Field("end", PartialDate(), attr=("end_date", "end_precision")),
        Field("location"),
        Field("countries", Refs("partners.Country", "code")),
        Field("participants", Rows(PARTICIPANT)),
        Field("outputs", Rows(OUTPUT)),
    ],
)

KINDS = [PROGRAMME, ACTIVITY]
