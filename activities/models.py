from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.choices import Role
from partners.models import Country, Partner, local_names_prefetch
from wps_portal.choices import DatePrecision, Status
from wps_portal.dates import human_partial, iso_partial, overlaps_years_q, period_end
from wps_portal.history import curated_history
from wps_portal.models import Citation, PublicModel, PublicQuerySet, TimestampedModel, published_prefetch

from .choices import ActivityType


class ProgrammeQuerySet(PublicQuerySet):
    def for_list_page(self):
        return self.select_related("lead").prefetch_related("countries", "phases")

    def for_detail_page(self):
        """A programme with its phases and thematic areas, each counting its published activities."""
        published_activities = Count("activities", filter=Q(activities__status=Status.PUBLISHED))
        return self.select_related("lead").prefetch_related(
            "countries",
            Prefetch("phases", queryset=Phase.objects.annotate(activity_count=published_activities)),
            Prefetch(
                "thematic_areas", queryset=ThematicArea.objects.annotate(activity_count=published_activities)
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )


class Programme(PublicModel):
    """A programme or project, e.g. the UNIFEM/UN Women UNSCR 1325 programme in South East Europe."""

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="programmes"
    )
    lead = models.ForeignKey(
        Partner,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes_led",
    )

    objects = ProgrammeQuerySet.as_manager()

    history = curated_history(public=True, m2m_fields=["countries"])

    class Meta:
        ordering = ["start_year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(start_year__lte=models.F("end_year")),
                name="activities_programme_start_before_end",
                violation_error_message=_("The programme's start year must not be after its end year."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    search_prefetch = ("citations", "phases", "thematic_areas", "countries", "lead")

    def search_parts(self):
        return {
            "A": [self.name, self.short_name],
            "C": [
                self.description,
                *(f"{p.name} {p.description}" for p in self.phases.all()),
                *(f"{a} {a.description}" for a in self.thematic_areas.all()),
            ],
            "D": [*(c.name for c in self.countries.all()), self.lead and str(self.lead), *self.excerpts()],
        }

    def search_year(self):
        return self.start_year

    def search_countries(self):
        return [c.code for c in self.countries.all()]


class Phase(TimestampedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="phases"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = curated_history()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="activities_phase_unique",
                violation_error_message=_("This programme already has a phase with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(start_year__lte=models.F("end_year")),
                name="activities_phase_start_before_end",
                violation_error_message=_("The phase's start year must not be after its end year."),
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name}"

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#phase-{self.number}"


class ThematicArea(TimestampedModel):
    """A component or thematic area of a programme (e.g. "A. Monitoring the implementation")."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="thematic_areas"
    )
    code = models.CharField(_("code"), max_length=10, blank=True, help_text=_('e.g. "A"'))
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = curated_history()

    class Meta:
        ordering = ["programme", "order", "code"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self):
        return f"{self.code}. {self.name}" if self.code else self.name

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#area-{self.slug}"


class ActivityQuerySet(PublicQuerySet):
    def with_related(self):
        return self.select_related("programme", "phase", "thematic_area")

    def in_years(self, year_from=None, year_to=None):
        """Activities whose dates overlap the years [year_from, year_to]."""
        return self.filter(overlaps_years_q(year_from, year_to))

    def for_list_page(self):
        """Chronological, undated activities last (a sort parameter replaces this order)."""
        return (
            self.with_related()
            .prefetch_related("countries")
            .order_by(F("start_date").asc(nulls_last=True), "title")
        )

    def for_detail_page(self):
        """Everything an activity's page shows; related records filtered to published ones."""
        CaseStudy = self.model._meta.get_field("case_studies").related_model
        return self.with_related().prefetch_related(
            "countries",
            "outputs",
            published_prefetch(
                "participations",
                Participation.objects.select_related("partner__country")
                .prefetch_related(local_names_prefetch("partner"))
                .order_by("role", "partner__name"),
                "partner",
            ),
            Prefetch("case_studies", queryset=CaseStudy.objects.published()),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )


class Activity(PublicModel):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices, db_index=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    thematic_area = models.ForeignKey(
        ThematicArea,
        verbose_name=_("thematic area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, db_index=True, help_text=_("First day of the period known.")
    )
    start_precision = models.CharField(
        _("start precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, db_index=True)
    end_precision = models.CharField(
        _("end precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("City or place."))
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="activities"
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), through="Participation", related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()

    history = curated_history(public=True, m2m_fields=["countries"])

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # The lists' default order: deep pages walk this index instead of sorting every row.
        indexes = [models.Index(fields=["start_date", "title"], name="activities_start_title_idx")]
        constraints = [
            *PublicModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(type__in=ActivityType.values),
                name="activities_activity_type_valid",
                violation_error_message=_("Choose a type of activity from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_precision__in=DatePrecision.values)
                & models.Q(end_precision__in=DatePrecision.values),
                name="activities_activity_precision_valid",
                violation_error_message=_("A date's precision must be year, month or day."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="activities_activity_start_before_end",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=False),
                name="activities_activity_end_needs_start",
                violation_error_message=_("An activity with an end date needs a start date."),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("activities:detail", kwargs={"slug": self.slug})

    search_prefetch = (
        "citations", "outputs", "participations__partner", "countries", "programme", "phase", "thematic_area",
    )  # fmt: skip

    def search_parts(self):
        return {
            "B": [self.title],
            "C": [self.summary, self.location],
            "D": [
                *(f"{o} {o.note}" for o in self.outputs.all()),
                *(str(p.partner) for p in self.participations.all()),
                self.phase and self.phase.name,
                self.thematic_area and str(self.thematic_area),
                *(c.name for c in self.countries.all()),
                *self.excerpts(),
            ],
        }

    def search_year(self):
        return self.start_date.year if self.start_date else None

    def search_countries(self):
        return [c.code for c in self.countries.all()]

    @property
    def start(self):
        return iso_partial(self.start_date, self.start_precision)

    @property
    def end(self):
        return iso_partial(self.end_date, self.end_precision)

    @property
    def date_precision(self):
        return self.start_precision if self.start_date else None

    @property
    def dates_display(self):
        start = human_partial(self.start_date, self.start_precision)
        end = human_partial(self.end_date, self.end_precision)
        if start and end and end != start:
            return f"{start} – {end}"
        return start

    @property
    def last_day(self):
        """The last day the activity may have run, given what precision is known."""
        if self.end_date:
            return period_end(self.end_date, self.end_precision)
        if self.start_date:
            return period_end(self.start_date, self.start_precision)
        return None

    def clean(self):
        errors = {}
        if self.phase_id and self.programme_id and self.phase.programme_id != self.programme_id:
            errors["phase"] = _("The phase belongs to another programme.")
        if (
            self.thematic_area_id
            and self.programme_id
            and self.thematic_area.programme_id != self.programme_id
        ):
            errors["thematic_area"] = _("The thematic area belongs to another programme.")
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = _("The end is before the start.")
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """A partner taking part in an activity, in a role."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participations"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = curated_history()

    class Meta:
        ordering = ["activity", "role", "partner__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        # A partner's activities (its page, ?partner=) from the index alone.
        indexes = [models.Index(fields=["partner", "activity"], name="activities_partner_act_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "partner", "role"],
                name="activities_participation_unique",
                violation_error_message=_("This partner already takes part in this activity in this role."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="activities_participation_role_valid",
                violation_error_message=_("Choose a role from the list."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} — {self.get_role_display()} — {self.activity}"


class Output(models.Model):
    """A quantified output of an activity, as stated: 90 delegates, 30 police stations…"""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="outputs"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(
        _("unit"), max_length=200, help_text=_('What was counted, e.g. "police stations".')
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = curated_history()

    class Meta:
        ordering = ["activity", "order", "pk"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self):
        return f"{self.quantity:,} {self.unit}"
