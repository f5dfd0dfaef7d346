from django.db import models
from django.utils.translation import gettext_lazy as _

from wps_portal import languages


class PartnerKind(models.TextChoices):
    WOMENS_NGO = "womens-ngo", _("Women's NGO")
    NGO = "ngo", _("NGO")
    NETWORK = "network", _("Network or coalition")
    GOVERNMENT = "government", _("Government body")
    SECURITY = "security", _("Security sector")
    JUDICIARY = "judiciary", _("Judiciary")
    PARLIAMENT = "parliament", _("Parliament")
    MUNICIPAL = "municipal", _("Municipal body")
    UN = "un", _("UN entity")
    INTERNATIONAL = "international", _("International organisation")
    EU_MISSION = "eu-mission", _("EU mission")
    DONOR = "donor", _("Donor")
    MEDIA = "media", _("Media")
    ACADEMIC = "academic", _("Academic or research")
    OTHER = "other", _("Other")


class Scope(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    INTERNATIONAL = "international", _("International")


class AliasKind(models.TextChoices):
    SPELLING = "spelling", _("Other spelling")
    ACRONYM = "acronym", _("Other acronym")
    FORMER = "former", _("Former name")
    LOCAL = "local", _("Local-language name")
    SHORT = "short", _("Short name")


# The language of a local-language name: the BCP 47 tag of each of the portal's languages but the
# source language (an English name is the record's own name), in the switcher's order, labelled
# with the tag and the language's own name ("sq — Shqip"). Derived from wps_portal.languages, so a
# tag the portal could never show ("sr", "sr-latn") cannot be stored. Not tagged: "" (blank).
AliasLanguage = models.TextChoices(
    "AliasLanguage",
    [
        (tag.upper().replace("-", "_"), (tag, f"{tag} — {name}"))  # SR_LATN = "sr-Latn", "sr-Latn — Srpski…"
        for code, name in languages.ALL_LANGUAGES
        if code != languages.SOURCE_LANGUAGE
        for tag in [languages.BCP47[code]]
    ],
)


class RelationType(models.TextChoices):
    MEMBER_OF = "member-of", _("is a member of")
    FOUNDED = "founded", _("founded")
    CO_FOUNDED = "co-founded", _("co-founded")
    COORDINATES = "coordinates", _("coordinates")
    SUPPORTS = "supports", _("supports")
    CHAIRS = "chairs", _("chairs")
    PARTNER_OF = "partner-of", _("works in partnership with")


class Role(models.TextChoices):
    """A partner's role in an activity or a case study: IATI's participating-organisation roles
    (funding, accountable, extending, implementing), then partner, participant, beneficiary."""

    FUNDING = "funding", _("Funding")
    ACCOUNTABLE = "accountable", _("Accountable")
    EXTENDING = "extending", _("Extending")
    IMPLEMENTING = "implementing", _("Implementing")
    PARTNER = "partner", _("Partner")
    PARTICIPANT = "participant", _("Participant")
    BENEFICIARY = "beneficiary", _("Beneficiary or target")


# Relation types that say the same thing read from either end ("A works in partnership with B"
# is "B works in partnership with A"); every other type is directed, from source to target.
SYMMETRIC_RELATION_TYPES = frozenset({RelationType.PARTNER_OF})
