from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from partners.choices import Role
from partners.models import Country, Partner, local_names_prefetch
from wps_portal.choices import Status
from wps_portal.history import curated_history
from wps_portal.models import Citation, PublicModel, PublicQuerySet, TimestampedModel, published_prefetch
from wps_portal.translations import TranslatedContent

from .choices import APPROACH_KIND_PLURALS, ApproachKind, Section


class ApproachQuerySet(PublicQuerySet):
    def for_detail_page(self):
        """An approach with its lessons, issue boxes and the case studies that illustrate it."""
        citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
        return self.prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.published().prefetch_related(citations)),
            Prefetch("issue_boxes", queryset=IssueBox.objects.published().prefetch_related(citations)),
            Prefetch("case_studies", queryset=CaseStudy.objects.published().select_related("country")),
            citations,
        )


class Approach(TranslatedContent, PublicModel):
    """A partner-identification strategy or one of the report's seven networking approaches."""

    kind = models.CharField(_("kind"), max_length=20, choices=ApproachKind.choices, db_index=True)
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("The report's number for a networking approach (1–7)."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ApproachQuerySet.as_manager()

    history = curated_history(public=True)

    class Meta:
        ordering = ["kind", "order", "number"]
        # Django's default plural adds an "s": "approachs".
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind__in=ApproachKind.values),
                name="casestudies_approach_kind_valid",
                violation_error_message=_("Choose a kind of approach from the list."),
            ),
        ]

    @property
    def kind_plural_display(self):
        """The heading over several approaches of this kind ("Networking approaches")."""
        return APPROACH_KIND_PLURALS.get(self.kind, self.get_kind_display())

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("approaches:detail", kwargs={"slug": self.slug})

    def search_parts(self):
        return {
            "B": [self.title_en],
            "C": [self.summary_en],
            "D": [*self.excerpts(), *self.translations_for_search()],
        }


class IssueBoxQuerySet(PublicQuerySet):
    def published(self):
        """Published issue boxes of published approaches (a box is shown on its approach's page)."""
        return super().published().filter(approach__status=Status.PUBLISHED)


class IssueBox(PublicModel):
    """A boxed discussion in the report, printed after the approach it belongs to."""

    approach = models.ForeignKey(
        Approach, verbose_name=_("approach"), on_delete=models.CASCADE, related_name="issue_boxes"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    body = models.TextField(_("body"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IssueBoxQuerySet.as_manager()

    history = curated_history(public=True)

    class Meta:
        ordering = ["approach", "order"]
        verbose_name = _("issue box")
        verbose_name_plural = _("issue boxes")
        constraints = [*PublicModel.Meta.constraints]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.approach.get_absolute_url()}#{self.slug}"

    search_prefetch = ("citations", "approach")

    def search_parts(self):
        return {"B": [self.title], "C": [self.body], "D": [self.approach.title_en, *self.excerpts()]}


class CaseStudyQuerySet(PublicQuerySet):
    def with_related(self):
        return self.select_related("country")

    def for_list_page(self):
        return self.with_related().prefetch_related(
            Prefetch("approaches", queryset=Approach.objects.published())
        )

    def for_detail_page(self):
        """Everything a case study's page shows; related records filtered to published ones."""
        citations = Prefetch("citations", queryset=Citation.objects.select_related("source"))
        return self.with_related().prefetch_related(
            Prefetch("approaches", queryset=Approach.objects.published()),
            published_prefetch(
                "partner_roles",
                CaseStudyPartner.objects.select_related("partner__country")
                .prefetch_related(local_names_prefetch("partner"))
                .order_by("role", "partner__name"),
                "partner",
            ),
            Prefetch("results", queryset=Result.objects.prefetch_related(citations)),
            Prefetch("lessons", queryset=Lesson.objects.published().prefetch_related(citations)),
            Prefetch("activities", queryset=Activity.objects.published()),
            citations,
        )

    def in_years(self, year_from=None, year_to=None):
        """Case studies that started within the years."""
        if year_from is not None:
            self = self.filter(start_year__gte=year_from)
        if year_to is not None:
            self = self.filter(start_year__lte=year_to)
        return self


class CaseStudy(TranslatedContent, PublicModel):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices, db_index=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for lists and cards.")
    )
    background = models.TextField(_("background"), blank=True)
    what_was_done = models.TextField(_("what was done"), blank=True)
    approaches = models.ManyToManyField(
        Approach, verbose_name=_("approaches"), blank=True, related_name="case_studies"
    )
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), blank=True, related_name="case_studies"
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), through="CaseStudyPartner", related_name="case_studies"
    )

    objects = CaseStudyQuerySet.as_manager()

    history = curated_history(public=True, m2m_fields=["approaches", "activities"])

    class Meta:
        ordering = ["number"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(section__in=Section.values),
                name="casestudies_casestudy_section_valid",
                violation_error_message=_("Choose a section of the report from the list."),
            ),
        ]

    def __str__(self):
        return gettext("Case study %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("casestudies:detail", kwargs={"slug": self.slug})

    search_prefetch = ("citations", "results__citations", "partner_roles__partner", "country")

    def search_parts(self):
        results = list(self.results.all())
        return {
            "B": [self.title_en],
            "C": [self.summary_en, self.background, self.what_was_done, *(r.text for r in results)],
            "D": [
                *(str(role.partner) for role in self.partner_roles.all()),
                self.country and self.country.name,
                *self.excerpts(),
                *(c.excerpt for r in results for c in r.citations.all()),
                *self.translations_for_search(),
            ],
        }

    def search_year(self):
        return self.start_year

    def search_countries(self):
        return [self.country.code] if self.country else []


class CaseStudyPartner(models.Model):
    case_study = models.ForeignKey(
        CaseStudy, verbose_name=_("case study"), on_delete=models.CASCADE, related_name="partner_roles"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="case_study_roles"
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = curated_history()

    class Meta:
        ordering = ["case_study", "role", "partner__name"]
        verbose_name = _("case-study partner")
        verbose_name_plural = _("case-study partners")
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "partner", "role"],
                name="casestudies_partner_unique",
                violation_error_message=_("This partner already has this role in this case study."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="casestudies_partner_role_valid",
                violation_error_message=_("Choose a role from the list."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} — {self.get_role_display()}"


class Result(TimestampedModel):
    """A result of a case study, in the report's order."""

    case_study = models.ForeignKey(
        CaseStudy, verbose_name=_("case study"), on_delete=models.CASCADE, related_name="results"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    citations = GenericRelation("wps_portal.Citation")

    history = curated_history()

    class Meta:
        ordering = ["case_study", "order"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "order"],
                name="casestudies_result_order_unique",
                violation_error_message=_(
                    "This case study already has a result with this number: choose another order."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.case_study.number}.{self.order} {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.case_study.get_absolute_url()}#result-{self.order}"


class LessonQuerySet(PublicQuerySet):
    def published(self):
        """Published lessons of a published owner (a lesson is shown on its owner's page)."""
        return (
            super()
            .published()
            .filter(Q(case_study__status=Status.PUBLISHED) | Q(approach__status=Status.PUBLISHED))
        )

    def with_related(self):
        return self.select_related("case_study", "approach")


class Lesson(TranslatedContent, PublicModel):
    """A lesson learned: belongs to exactly one case study or one approach."""

    case_study = models.ForeignKey(
        CaseStudy,
        verbose_name=_("case study"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    approach = models.ForeignKey(
        Approach,
        verbose_name=_("approach"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    slug = models.SlugField(_("slug"), max_length=140, unique=True, blank=True)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("A short heading, optional.")
    )
    text = models.TextField(_("text"))

    objects = LessonQuerySet.as_manager()

    history = curated_history(public=True)

    class Meta:
        ordering = ["approach__order", "case_study__number", "order"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=(models.Q(case_study__isnull=False) & models.Q(approach__isnull=True))
                | (models.Q(case_study__isnull=True) & models.Q(approach__isnull=False)),
                name="casestudies_lesson_one_owner",
                violation_error_message=_(
                    "A lesson belongs to exactly one case study or one approach: choose one of them, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["case_study", "order"],
                condition=models.Q(case_study__isnull=False),
                name="casestudies_lesson_order_in_case_study",
                violation_error_message=_(
                    "This case study already has a lesson with this number: choose another order."
                ),
            ),
            models.UniqueConstraint(
                fields=["approach", "order"],
                condition=models.Q(approach__isnull=False),
                name="casestudies_lesson_order_in_approach",
                violation_error_message=_(
                    "This approach already has a lesson with this number: choose another order."
                ),
            ),
        ]

    def __str__(self):
        return gettext("%(owner)s: lesson %(order)s") % {"owner": self.owner, "order": self.order}

    @property
    def owner(self):
        return self.case_study or self.approach

    def save(self, *args, **kwargs):
        if not self.slug and (self.case_study_id or self.approach_id):
            owner_slug = self.case_study.slug if self.case_study_id else self.approach.slug
            self.slug = slugify(f"{owner_slug}-lesson-{self.order}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.owner.get_absolute_url()}#lesson-{self.order}"

    search_prefetch = ("citations", "case_study__country", "approach")

    def search_parts(self):
        return {
            "B": [self.title_en],
            "C": [self.text_en],
            "D": [self.owner and self.owner.title_en, *self.excerpts(), *self.translations_for_search()],
        }

    def search_year(self):
        return self.case_study.start_year if self.case_study else None

    def search_countries(self):
        return [self.case_study.country.code] if self.case_study and self.case_study.country else []
