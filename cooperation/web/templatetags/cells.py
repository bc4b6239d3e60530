"""`{% status_badge commitment %}`, `{% progress_bar progress %}` and `|label`: what the tables draw."""

from django import template

from cooperation.web import cells

register = template.Library()
register.simple_tag(cells.status_badge, name="status_badge")
register.simple_tag(cells.progress_bar, name="progress_bar")
# `{{ document|label:"kind" }}`: what document.get_kind_display gives, for lists of records
# (get_FOO_display rebuilds the choice map on every call).
register.filter("label", cells.choice_label)
