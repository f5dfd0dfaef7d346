from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wps_portal.choices import Status
from wps_portal.dates import overlaps_years_q
from wps_portal.history import curated_history
from wps_portal.models import (
    Citation,
    PublicModel,
    PublicQuerySet,
    TimestampedModel,
    published_prefetch,
    published_q,
)
from wps_portal.places import country_name

from .choices import AliasKind, AliasLanguage, PartnerKind, RelationType, Scope


class Country(models.Model):
    code = models.CharField(
        _("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code; XK for Kosovo.")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_('e.g. "under UN Security Council resolution 1244"')
    )

    history = curated_history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="partners_country_code_iso",
                violation_error_message=_(
                    "A country code is two capital letters (ISO 3166-1 alpha-2, XK for Kosovo)."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("countries:detail", kwargs={"code": self.code})

    @property
    def local_name(self):
        """The name in the reader's language (``wps_portal.places``): "Kosovë", "Косово"."""
        return country_name(self.code, self.name)

    @property
    def display_name(self):
        """The local name, with an asterisk where a note qualifies it (Kosovo*, resolution 1244)."""
        return f"{self.local_name}*" if self.note else self.local_name


# A partner's page shows its latest activities, this many, with a link to the full filtered list.
TIMELINE_LENGTH = 50


class PartnerQuerySet(PublicQuerySet):
    def with_related(self):
        return self.select_related("country", "parent")

    def with_local_names(self):
        """With each partner's local name in the page's language (``Partner.local_name``), in one
        query for the whole list: ``local_names_prefetch``."""
        return self.prefetch_related(local_names_prefetch())

    def in_years(self, year_from=None, year_to=None):
        """Partners that took part in a published activity overlapping the years."""
        if year_from is None and year_to is None:
            return self
        matching = self.model._default_manager.filter(
            overlaps_years_q(year_from, year_to, prefix="participations__activity__"),
            participations__activity__status=Status.PUBLISHED,
        )
        return self.filter(pk__in=matching.values("pk"))  # not DISTINCT over every column

    def for_detail_page(self):
        """Everything a partner's page shows, each related list filtered to published records.

        The upper layers' models (participations, case studies, lessons) are reached by relation
        name, not imported, so this layer stays below them.
        """
        from django.apps import apps

        def related(name):
            return self.model._meta.get_field(name).related_model

        CaseStudyRole = related("case_study_roles")
        Lesson = apps.get_model("casestudies", "Lesson")
        citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
        members = PartnerRelation.objects.filter(type=RelationType.MEMBER_OF).select_related(
            "source__country"
        )
        return self.select_related("country", "parent").prefetch_related(
            "aliases",
            published_prefetch("units", Partner.objects.select_related("country")),
            published_prefetch(
                "relations_from",
                PartnerRelation.objects.select_related("target__country").prefetch_related(
                    published_prefetch("target__relations_to", members, "source", to_attr="member_relations")
                ),
                "target",
            ),
            published_prefetch(
                "relations_to", PartnerRelation.objects.select_related("source__country"), "source"
            ),
            published_prefetch(
                "case_study_roles",
                CaseStudyRole.objects.select_related("case_study")
                .order_by("case_study__number", "role")
                .prefetch_related(published_prefetch("case_study__lessons", Lesson.objects.all())),
                "case_study",
            ),
            citations,
        )


class Partner(PublicModel):
    """An organisation, network, institution, agency, office, mission or body."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, db_index=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, db_index=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("Empty for regional and international bodies."),
    )
    founded_year = models.PositiveSmallIntegerField(_("founded year"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
        help_text=_("The body this one is part of (e.g. a unit inside a police service)."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = PartnerQuerySet.as_manager()
    search_prefetch = ("aliases", "citations", "country", "parent")

    history = curated_history(public=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["status", "kind"])]
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind__in=PartnerKind.values),
                name="partners_partner_kind_valid",
                violation_error_message=_("Choose a kind of partner from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=Scope.values),
                name="partners_partner_scope_valid",
                violation_error_message=_("Choose a scope from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(founded_year__isnull=True)
                | models.Q(founded_year__gte=1800, founded_year__lte=2100),
                name="partners_partner_founded_year_range",
                violation_error_message=_("The year founded must be between 1800 and 2100."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="partners_partner_not_own_parent",
                violation_error_message=_(
                    "A partner cannot be part of itself: choose another parent body or none."
                ),
            ),
        ]

    def __str__(self):
        # "UN Women (UN Women)": an acronym that is the name is not said twice.
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("partners:detail", kwargs={"slug": self.slug})

    def local_name(self, code: str | None = None):
        """The partner's established name in the language ``code`` (default: the page's), from
        its local-language aliases tagged with that language: (name, BCP 47 tag) or None. Serbian
        in one script is transliterated from the other when only that one is recorded. Reads the
        aliases ``local_names_prefetch`` fetched when a list page prefetched them, else all of the
        partner's (prefetched on its own page and in the API)."""
        from wps_portal.translations import to_cyrillic, to_latin

        tags = local_name_tags(code)
        if not tags:
            return None
        aliases = getattr(self, "local_aliases", None)
        if aliases is None:
            aliases = self.aliases.all()
        names = {alias.language: alias.name for alias in aliases if alias.kind == AliasKind.LOCAL}
        tag = tags[0]
        if tag in names:
            return names[tag], tag
        if tag == AliasLanguage.SR_CYRL and AliasLanguage.SR_LATN in names:
            return to_cyrillic(names[AliasLanguage.SR_LATN]), tag
        if tag == AliasLanguage.SR_LATN and AliasLanguage.SR_CYRL in names:
            return to_latin(names[AliasLanguage.SR_CYRL]), tag
        return None

    def latest_participations(self, limit: int = TIMELINE_LENGTH) -> list:
        """The latest participations in published activities, for the page's timeline (a partner
        may have thousands: the page links to the rest). One top-N query: a window-function
        prefetch would number every one of them first."""
        participations = self.participations.filter(published_q(self.participations.model, ("activity",)))
        return list(
            participations.select_related("activity")
            .defer("activity__search_text")
            .order_by(F("activity__start_date").desc(nulls_last=True), "activity__title", "role", "pk")[
                :limit
            ]
        )

    def search_parts(self):
        return {
            "A": [self.name, self.acronym, *(a.name for a in self.aliases.all())],
            "C": [self.description],
            "D": [self.country and self.country.name, self.parent and self.parent.name, *self.excerpts()],
        }

    def search_year(self):
        return self.founded_year

    def search_countries(self):
        return [self.country.code] if self.country else []


def _page_language(code: str | None = None) -> str:
    from django.utils import translation

    return code or translation.get_language() or ""


def local_name_tags(code: str | None = None) -> list[str]:
    """The alias languages a partner's local name in the language ``code`` (default: the page's)
    is read from: its BCP 47 tag first, then, for Serbian, the other script's (transliterated).
    Empty for English: an English page shows no local names."""
    from wps_portal.languages import BCP47

    tag = BCP47.get(_page_language(code))
    if tag not in AliasLanguage.values:
        return []
    other_script = {
        AliasLanguage.SR_CYRL: AliasLanguage.SR_LATN,
        AliasLanguage.SR_LATN: AliasLanguage.SR_CYRL,
    }
    return [tag, *([other_script[tag]] if tag in other_script else [])]


def local_names_prefetch(partner_path: str = "", code: str | None = None) -> Prefetch:
    """The one prefetch of the local names a list of partners shows in the page's language: the
    partners' local-language aliases in that language (``local_name_tags``), as ``local_aliases``
    on each partner, one query for the whole list. ``partner_path`` reaches the partners from
    the queryset's model ("partner" from a participation). On an English page it prefetches
    nothing and costs no query (an empty queryset is never sent to the database)."""
    tags = local_name_tags(code)
    queryset = Alias.objects.filter(kind=AliasKind.LOCAL, language__in=tags) if tags else Alias.objects.none()
    lookup = f"{partner_path}__aliases" if partner_path else "aliases"
    return Prefetch(lookup, queryset=queryset, to_attr="local_aliases")


class Alias(models.Model):
    """Another name of a partner: a spelling, acronym, former or local-language name."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=10, choices=AliasKind.choices, default=AliasKind.SPELLING)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=AliasLanguage.choices,
        help_text=_(
            'The language of a local-language name, as a BCP 47 tag: "sq", "sr-Latn", "sr-Cyrl", "bs".'
        ),
    )

    history = curated_history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name"],
                name="partners_alias_unique",
                violation_error_message=_("This partner already has that alias."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AliasKind.values),
                name="partners_alias_kind_valid",
                violation_error_message=_("Choose a kind of alias from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["", *AliasLanguage.values]),
                name="partners_alias_language_valid",
                violation_error_message=_("Choose the alias's language from the list, or none."),
            ),
        ]

    def __str__(self):
        return self.name


class PartnerRelation(TimestampedModel):
    """A typed link between two partners: membership of a network, founding, coordination…"""

    source = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("the partner a relation goes from", "source"),
        on_delete=models.CASCADE,
        related_name="relations_from",
    )
    type = models.CharField(_("type"), max_length=20, choices=RelationType.choices, db_index=True)
    target = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("the partner a relation goes to", "target"),
        on_delete=models.CASCADE,
        related_name="relations_to",
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = curated_history()

    class Meta:
        ordering = ["source__name", "type", "target__name"]
        verbose_name = _("partner relation")
        verbose_name_plural = _("partner relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "type", "target"],
                name="partners_relation_unique",
                violation_error_message=_("These two partners already have a relation of this type."),
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=RelationType.values),
                name="partners_relation_type_valid",
                violation_error_message=_("Choose a type of relation from the list."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="partners_relation_not_self",
                violation_error_message=_("A partner cannot be related to itself."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(start_year__lte=models.F("end_year")),
                name="partners_relation_start_before_end",
                violation_error_message=_("The relation's start year must not be after its end year."),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_type_display()} {self.target}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("A partner cannot be related to itself.")})
