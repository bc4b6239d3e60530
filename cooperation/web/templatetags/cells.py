"""`{% status_badge commitment %}` and `{% progress_bar progress %}`: the fragments the tables draw."""

from django import template

from cooperation.web import cells

register = template.Library()
register.simple_tag(cells.status_badge, name="status_badge")
register.simple_tag(cells.progress_bar, name="progress_bar")
