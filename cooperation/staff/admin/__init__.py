"""The Django admin, where staff enter and publish records (README "Staff workflow").

base.py holds what every tracker admin shares (history, publishing rights, optimistic locking,
spreadsheets); registrations.py registers each model with its list, filters and form;
changelist.py and paginators.py keep large changelists cheap. Django's admin autodiscovery
imports this package, which registers the models.
"""

import types

from django.contrib import admin

from . import registrations  # noqa: F401
from .index import grouped_app_list

# The index grouped by task (index.py). Set on the default site itself rather than through a
# custom AdminSite class, which would need the project's INSTALLED_APPS to change.
admin.site.get_app_list = types.MethodType(grouped_app_list, admin.site)
