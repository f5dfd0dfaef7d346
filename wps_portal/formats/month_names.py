"""Month names as the portal's catalogues spell them.

Django's date formats print month names (``F``) through Django's own catalogues; a message with
the same msgid in the portal's catalogue takes precedence (``LOCALE_PATHS`` come first). They are
marked here so that ``makemessages`` keeps them in the portal's catalogues, where each language
writes them as it should: Albanian in lower case ("qershor 2010"), which Django's Albanian
catalogue capitalises.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
