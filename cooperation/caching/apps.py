from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "cooperation.caching"
    label = "caching"
    verbose_name = _("Public caches")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers that raise the content version
