from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from wps_portal.views import FilteredListView, RecordDetailView

from .filtersets import ApproachFilterSet, CaseStudyFilterSet, LessonFilterSet
from .models import Approach, CaseStudy, Lesson


class CaseStudyListView(FilteredListView):
    filterset_class = CaseStudyFilterSet
    item_template = "casestudies/items.html#casestudy"
    api_resource = "case-studies"
    plural = pgettext_lazy("list name in a sentence", "case studies")
    counted = ngettext_lazy("%(count)s case study", "%(count)s case studies", "count")
    title = _("Case studies")
    intro = _(
        "Ten case studies of networking and partnership for women, peace and security in the "
        "Western Balkans: the background, what was done, the results and the lessons learned."
    )

    def get_queryset(self):
        return CaseStudy.objects.published().for_list_page()


class CaseStudyDetailView(RecordDetailView):
    model = CaseStudy
    template_name = "casestudies/casestudy_detail.html"


class ApproachListView(FilteredListView):
    filterset_class = ApproachFilterSet
    item_template = "casestudies/items.html#approach"
    api_resource = "approaches"
    plural = pgettext_lazy("list name in a sentence", "approaches")
    counted = ngettext_lazy("%(count)s approach", "%(count)s approaches", "count")
    title = _("Approaches")
    intro = _(
        "Strategies for identifying partners and the seven networking approaches, each with its "
        "lessons and the case studies that illustrate it."
    )

    def get_queryset(self):
        return Approach.objects.published()


class ApproachDetailView(RecordDetailView):
    model = Approach
    template_name = "casestudies/approach_detail.html"


class LessonListView(FilteredListView):
    filterset_class = LessonFilterSet
    item_template = "casestudies/items.html#lesson"
    api_resource = "lessons"
    plural = pgettext_lazy("list name in a sentence", "lessons")
    counted = ngettext_lazy("%(count)s lesson", "%(count)s lessons", "count")
    title = _("Lessons learned")
    intro = _("What the work taught, from the case studies and the approaches.")

    def get_queryset(self):
        return Lesson.objects.published().with_related()
