"""The portal's own date formats per language (settings.FORMAT_MODULE_PATH), over Django's.

Only what differs from Django's locale formats is here: a full date and a month at the portal's
precisions ("15 June 2010", "June 2010"; in Serbian and Bosnian "15. јун 2010.", "јун 2010").
``wps_portal.dates.human_partial`` reads them, so a date reads in the page's language.
"""
