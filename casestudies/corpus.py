"""Corpus kinds of this app: approaches (with lessons and issue boxes) and case studies.

Each kind is a declaration (wps_portal.corpus.Spec) that drives loading, dry runs and export.
"""

from django.utils.text import slugify

from partners.choices import Role
from wps_portal.corpus import INTEGER, Choice, Field, Ref, Refs, Rows, Spec
from wps_portal.corpus_translations import Translated

from .choices import ApproachKind, Section


def _lesson(parent: str) -> Spec:
    """A lesson of an approach or of a case study (a lesson has exactly one owner)."""
    return Spec(
        "lesson",
        "casestudies.Lesson",
        key=("slug",),
        parent=parent,
        related="lessons",
        sort=("order",),
        public=True,
        unique_key=True,
        distinct=("order",),
        fields=[
            Field("order", INTEGER, required=True),
            Field("title"),
            Field(
                "slug", default=lambda doc, parent, **_: slugify(f"{parent['slug']}-lesson-{doc['order']}")
            ),
            Field("text", required=True),
        ],
    )


ISSUE_BOX = Spec(
    "issue box",
    "casestudies.IssueBox",
    key=("slug",),
    parent="approach",
    related="issue_boxes",
    sort=("order",),
    public=True,
    unique_key=True,
    fields=[
        Field("slug", required=True),
        Field("order", INTEGER, default=lambda doc, position, **_: position + 1, keep_default=True),
        Field("title", required=True),
        Field("body", required=True),
    ],
)

APPROACH = Spec(
    "approach",
    "casestudies.Approach",
    key=("slug",),
    files="approaches/*.yaml",
    default_file="approaches/added-in-the-registry.yaml",
    public=True,
    fields=[
        Field("slug", required=True),
        Field("kind", Choice(ApproachKind), required=True),
        Field("number", INTEGER),
        Field("order", INTEGER, default=lambda doc, **_: doc["number"] or 0, keep_default=True),
        Field("title", required=True),
        Field("summary"),
        Field("lessons", Rows(_lesson("approach"))),
        Field("issue_boxes", Rows(ISSUE_BOX)),
    ],
)

CASE_STUDY_PARTNER = Spec(
    "partner role",
    "casestudies.CaseStudyPartner",
    key=("partner", "role"),
    parent="case_study",
    related="partner_roles",
    fields=[
        Field("partner", Ref("partners.Partner"), required=True),
        Field("role", Choice(Role), required=True),
        Field("note"),
    ],
)

RESULT = Spec(
    "result",
    "casestudies.Result",
    key=("order",),
    parent="case_study",
    related="results",
    sort=("order",),
    cited=True,
    fields=[Field("order", INTEGER, required=True), Field("text", required=True)],
)

CASE_STUDY = Spec(
    "case study",
    "casestudies.CaseStudy",
    key=("slug",),
    files="casestudies/*.yaml",
    default_file="casestudies/added-in-the-registry.yaml",
    public=True,
    fields=[
        Field("number", INTEGER, required=True),
        Field("slug", required=True),
        Field("title", required=True),
        Field("section", Choice(Section), required=True),
        Field("country", Ref("partners.Country", "code")),
        Field("start_year", INTEGER),
        Field("summary"),
        Field("background"),
        Field("what_was_done"),
        Field("approaches", Refs("casestudies.Approach")),
        Field("activities", Refs("activities.Activity")),
        Field("partners", Rows(CASE_STUDY_PARTNER)),
        Field("results", Rows(RESULT)),
        Field("lessons", Rows(_lesson("case_study"))),
    ],
)

KINDS = [APPROACH, CASE_STUDY]

# Translated texts (fixtures/translations/<code>.yaml; wps_portal/corpus_translations.py).
TRANSLATED = [
    Translated("case-studies", "case study", "casestudies.CaseStudy", ("title", "summary")),
    Translated("approaches", "approach", "casestudies.Approach", ("title", "summary")),
    Translated("lessons", "lesson", "casestudies.Lesson", ("title", "text")),
]
