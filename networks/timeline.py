"""Activities over time, in lanes by country, programme, phase or type: each dated activity spans
from the first to the last day its dates' precision allows (a year-only activity is a year-long
band, not a point on 1 January); undated activities are counted and listed, not hidden."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from activities.choices import ActivityType

# ?group= values: (label, how to name an activity's lanes)
GROUPS = {
    "country": _("Country"),
    "programme": _("Programme"),
    "phase": _("Phase"),
    "type": _("Type"),
}
DEFAULT_GROUP = "country"


@dataclass
class Item:
    title: str
    url: str
    start: str  # ISO at its precision
    end: str | None
    dates: str  # as people read them
    first_day: object
    last_day: object


@dataclass
class Lane:
    label: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Timeline:
    group: str
    lanes: list[Lane]
    undated: list  # activities
    first_year: int | None
    last_year: int | None

    @property
    def dated_count(self):
        return len({item.url for lane in self.lanes for item in lane.items})

    def as_dict(self):
        return {
            "first_year": self.first_year,
            "last_year": self.last_year,
            "lanes": [
                {
                    "label": lane.label,
                    "items": [
                        [i.title, i.url, i.first_day.isoformat(), i.last_day.isoformat(), i.dates]
                        for i in lane.items
                    ],
                }
                for lane in self.lanes
            ],
        }


def lanes_of(activity, group) -> list[str]:
    if group == "country":
        return [c.display_name for c in activity.countries.all()] or [str(_("No country"))]
    if group == "programme":
        return [str(activity.programme) if activity.programme else str(_("No programme"))]
    if group == "phase":
        return [str(activity.phase) if activity.phase else str(_("No phase"))]
    return [str(ActivityType(activity.type).label)]


def build_timeline(activities, group=DEFAULT_GROUP) -> Timeline:
    """Two queries: the activities (with programme and phase), their countries."""
    activities = list(
        activities.select_related("programme", "phase")
        .prefetch_related("countries")
        .order_by(F("start_date").asc(nulls_last=True), "title", "pk")
    )
    lanes: dict[str, Lane] = {}
    undated = []
    for activity in activities:
        if not activity.start_date:
            undated.append(activity)
            continue
        item = Item(
            title=activity.title,
            url=activity.get_absolute_url(),
            start=activity.start,
            end=activity.end,
            dates=activity.dates_display,
            first_day=activity.start_date,
            last_day=activity.last_day,
        )
        for label in lanes_of(activity, group):
            lanes.setdefault(label, Lane(label)).items.append(item)
    ordered = sorted(lanes.values(), key=lambda lane: (-len(lane.items), lane.label))
    days = [i for lane in ordered for i in lane.items]
    return Timeline(
        group=group,
        lanes=ordered,
        undated=undated,
        first_year=min(i.first_day.year for i in days) if days else None,
        last_year=max(i.last_day.year for i in days) if days else None,
    )
