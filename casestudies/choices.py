from django.db import models
from django.utils.translation import gettext_lazy as _


class ApproachKind(models.TextChoices):
    PARTNER_STRATEGY = "partner-strategy", _("Partner-identification strategy")
    NETWORKING = "networking", _("Networking approach")


# The heading over several approaches of a kind (an English plural is not the label plus "s").
APPROACH_KIND_PLURALS = {
    ApproachKind.PARTNER_STRATEGY: _("Partner-identification strategies"),
    ApproachKind.NETWORKING: _("Networking approaches"),
}


class Section(models.TextChoices):
    NETWORKING = "networking", _("Networking of women's groups")
    GOVERNMENT = "government", _("Engaging government stakeholders in women's security")
    MULTI_STAKEHOLDER = "multi-stakeholder", _("Multi-stakeholder groups")
