from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    name = "cooperation.devdata"
    label = "devdata"
    verbose_name = _("Demo data")
