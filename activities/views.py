from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from wps_portal.views import FilteredListView, RecordDetailView

from .filtersets import ActivityFilterSet, ProgrammeFilterSet
from .models import Activity, Programme


class ActivityListView(FilteredListView):
    filterset_class = ActivityFilterSet
    item_template = "activities/items.html#activity"
    api_resource = "activities"
    plural = pgettext_lazy("list name in a sentence", "activities")
    counted = ngettext_lazy("%(count)s activity", "%(count)s activities", "count")
    title = _("Activities")
    intro = _(
        "Meetings, trainings, campaigns, reports and other activities, with their dates at the "
        "precision the sources give, their places and their participants."
    )

    def get_queryset(self):
        return Activity.objects.published().for_list_page()


class ActivityDetailView(RecordDetailView):
    model = Activity
    template_name = "activities/activity_detail.html"


class ProgrammeListView(FilteredListView):
    filterset_class = ProgrammeFilterSet
    item_template = "activities/items.html#programme"
    api_resource = "programmes"
    plural = pgettext_lazy("list name in a sentence", "programmes")
    counted = ngettext_lazy("%(count)s programme", "%(count)s programmes", "count")
    title = _("Programmes")
    intro = _("The programmes the activities belong to, with their phases.")

    def get_queryset(self):
        return Programme.objects.published().for_list_page()


class ProgrammeDetailView(RecordDetailView):
    model = Programme
    template_name = "activities/programme_detail.html"
