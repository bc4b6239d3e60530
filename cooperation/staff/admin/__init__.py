"""The Django admin, where staff enter and publish records (README "Staff workflow").

base.py holds what every tracker admin shares (history, publishing rights, optimistic locking,
spreadsheets); registrations.py registers each model with its list, filters and form;
changelist.py and paginators.py keep large changelists cheap. Django's admin autodiscovery
imports this package, which registers the models.
"""

from . import registrations  # noqa: F401
