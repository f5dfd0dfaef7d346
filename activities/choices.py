from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    MONITORING_REPORT = "monitoring-report", _("Monitoring report")
    DIALOGUE = "dialogue", _("Dialogue")
    CAPACITY_BUILDING = "capacity-building", _("Capacity building")
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    MEETING = "meeting", _("Meeting with decision-makers")
    CAMPAIGN = "campaign", _("Campaign")
    AWARENESS = "awareness-raising", _("Awareness raising")
    ADVOCACY = "advocacy", _("Advocacy or lobbying")
    RESEARCH = "research", _("Research or survey")
    MAPPING = "mapping", _("Mapping")
    POLICY = "policy-drafting", _("Policy or law drafting")
    MECHANISM = "gender-mechanism", _("Institutional gender mechanism")
    NETWORK_BUILDING = "network-building", _("Network or coalition building")
    SERVICE = "service-provision", _("Service provision")
    PUBLICATION = "publication", _("Publication or media")
    COORDINATION = "coordination", _("Coordination")
    FUNDING = "funding", _("Funding or grant")
    OTHER = "other", _("Other")
