"""The network's vocabularies: the kinds of edge and the sectors partners belong to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import SYMMETRIC_RELATION_TYPES, PartnerKind, RelationType


class Sector(models.TextChoices):
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    GOVERNMENT = "government", _("Government")
    SECURITY = "security", _("Security sector")
    INTERNATIONAL = "international", _("International")
    OTHER = "other", _("Other")


# Which sector each kind of partner belongs to: the one table the cross-sector counts read.
# A link crosses sectors when its two ends are in different sectors, neither of them "other".
SECTOR_OF_KIND = {
    PartnerKind.WOMENS_NGO: Sector.CIVIL_SOCIETY,
    PartnerKind.NGO: Sector.CIVIL_SOCIETY,
    PartnerKind.NETWORK: Sector.CIVIL_SOCIETY,
    PartnerKind.MEDIA: Sector.CIVIL_SOCIETY,
    PartnerKind.ACADEMIC: Sector.CIVIL_SOCIETY,
    PartnerKind.GOVERNMENT: Sector.GOVERNMENT,
    PartnerKind.PARLIAMENT: Sector.GOVERNMENT,
    PartnerKind.MUNICIPAL: Sector.GOVERNMENT,
    PartnerKind.JUDICIARY: Sector.GOVERNMENT,
    PartnerKind.SECURITY: Sector.SECURITY,
    PartnerKind.UN: Sector.INTERNATIONAL,
    PartnerKind.INTERNATIONAL: Sector.INTERNATIONAL,
    PartnerKind.EU_MISSION: Sector.INTERNATIONAL,
    PartnerKind.DONOR: Sector.INTERNATIONAL,
    PartnerKind.OTHER: Sector.OTHER,
}


# What links two partners: each typed relation of the partners' vocabulary, being a unit of
# another partner, and taking part in the same activities or case studies (weighted by how many).
PART_OF = "part-of"
ACTIVITY = "activity"
CASE_STUDY = "case-study"
EDGE_KINDS = {
    **dict(RelationType.choices),
    PART_OF: _("is part of"),
    ACTIVITY: _("took part in the same activities"),
    CASE_STUDY: _("took part in the same case studies"),
}
# Edges read from source to target; the others are symmetric (their ends in name order).
DIRECTED_EDGE_KINDS = frozenset(
    {t.value for t in RelationType if t not in SYMMETRIC_RELATION_TYPES} | {PART_OF}
)
CO_PARTICIPATION_KINDS = (ACTIVITY, CASE_STUDY)
