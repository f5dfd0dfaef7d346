from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# The public pages in each language the portal offers: English at the unprefixed URLs, every
# other language under its prefix (/sq/partners/). The admin and the API keep one address each
# (the API's language comes from Accept-Language or ?lang=); /i18n/setlang/ is the switcher's view.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("wps_portal.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(path("", include("wps_portal.site_urls")), prefix_default_language=False),
]
