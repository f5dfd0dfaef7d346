"""Translated content of this app (django-modeltranslation; see wps_portal/translations.py).

The historical models (django-simple-history) are registered too, so each version keeps its
translations, the history page shows what changed in them and a revert brings them back.
"""

from modeltranslation.translator import TranslationOptions, register

from wps_portal.translations import track_in_history

from .models import Approach, CaseStudy, Lesson


@register([CaseStudy, CaseStudy.history.model, Approach, Approach.history.model])
class TitleSummaryTranslation(TranslationOptions):
    fields = ("title", "summary")


@register([Lesson, Lesson.history.model])
class LessonTranslation(TranslationOptions):
    fields = ("title", "text")


for model in (CaseStudy, Approach, Lesson):
    track_in_history(model)
