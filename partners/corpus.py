"""Corpus kinds of this app: countries, partners (with aliases and relations), relations.

Each kind is a declaration (wps_portal.corpus.Spec) that drives loading, dry runs and export.
"""

from wps_portal.corpus import INTEGER, Choice, Field, Inline, Invalid, Ref, Rows, Spec

from .choices import AliasKind, AliasLanguage, PartnerKind, RelationType, Scope

COUNTRY = Spec(
    "country",
    "partners.Country",
    key=("code",),
    files="countries.yaml",
    default_file="countries.yaml",
    fields=[Field("code", required=True), Field("name", required=True), Field("region"), Field("note")],
)

# A partner's other names, each with its kind and, for a local-language name, its language.
ALIAS = Spec(
    "alias",
    "partners.Alias",
    key=("name",),
    parent="partner",
    related="aliases",
    text_form="name",
    merge=True,
    fields=[
        Field("name", required=True),
        Field("kind", Choice(AliasKind), default=AliasKind.SPELLING, keep_default=True),
        Field("language", Choice(AliasLanguage)),  # its BCP 47 tag: "sq", "sr-Cyrl", "sr-Latn", "bs"
    ],
)


def _drop_own_names(doc: dict) -> dict:
    """A partner's name or acronym is not its own alias."""
    own = {doc["name"], doc["acronym"]}
    doc["aliases"] = [alias for alias in doc["aliases"] if alias["name"] not in own]
    return doc


def _not_own_parent(doc: dict) -> None:
    if doc["parent"] and doc["parent"] == doc["slug"]:
        raise Invalid("a partner cannot be its own parent", "parent")


PARTNER = Spec(
    "partner",
    "partners.Partner",
    key=("slug",),
    files="partners/*.yaml",
    default_file="partners/added-in-the-registry.yaml",
    public=True,
    fields=[
        Field("slug", required=True),
        Field("name", required=True),
        Field("acronym"),
        Field("aliases", Rows(ALIAS)),
        Field("kind", Choice(PartnerKind), required=True),
        Field("scope", Choice(Scope), required=True),
        Field("country", Ref("partners.Country", "code")),
        Field("founded_year", INTEGER),
        Field("parent", Ref("partners.Partner"), deferred=True),
        Field("description"),
        Field("relations", Inline("relation", fill="source")),
    ],
    normalize=_drop_own_names,
    check=_not_own_parent,
)

# A link between two partners. The same link may be stated on a partner (its `relations`) and in
# a relations file: it is one link, whose details are the first non-empty value of each field.
RELATION = Spec(
    "relation",
    "partners.PartnerRelation",
    key=("source", "type", "target"),
    files="relations/*.yaml",
    default_file="relations/added-in-the-registry.yaml",
    merge=True,
    fields=[
        Field("source", Ref("partners.Partner"), required=True),
        Field("type", Choice(RelationType), required=True),
        Field("target", Ref("partners.Partner"), required=True),
        Field("start_year", INTEGER),
        Field("end_year", INTEGER),
        Field("note"),
    ],
)

KINDS = [COUNTRY, PARTNER, RELATION]
