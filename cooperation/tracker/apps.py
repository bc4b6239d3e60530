from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "cooperation.tracker"
    label = "tracker"
    verbose_name = _("Cooperation records")

    def ready(self):
        from . import (
            signals,  # noqa: F401 - connects the receivers that keep stored counts exact
            translated,
        )

        translated.connect()  # English in the original column, Serbian Latin from Cyrillic
