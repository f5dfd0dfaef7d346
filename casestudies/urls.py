"""The case studies app's pages: namespaces casestudies, approaches and lessons."""

from django.urls import include, path

from . import views

casestudy_patterns = (
    [
        path("", views.CaseStudyListView.as_view(), name="list"),
        path("<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    ],
    "casestudies",
)

approach_patterns = (
    [
        path("", views.ApproachListView.as_view(), name="list"),
        path("<slug:slug>/", views.ApproachDetailView.as_view(), name="detail"),
    ],
    "approaches",
)

lesson_patterns = ([path("", views.LessonListView.as_view(), name="list")], "lessons")

# Included by the site's URLconf (wps_portal/site_urls.py) at the site's root.
urlpatterns = [
    path("case-studies/", include(casestudy_patterns)),
    path("approaches/", include(approach_patterns)),
    path("lessons/", include(lesson_patterns)),
]
