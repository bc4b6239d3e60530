"""`{% status_badge commitment %}`, `{% progress_bar commitment_or_update %}`, the figure cells and `|label`: what
the tables draw."""

from django import template
from django.utils.text import capfirst

from cooperation.web import cells

register = template.Library()
register.simple_tag(cells.status_badge, name="status_badge")
register.simple_tag(cells.progress_bar, name="progress_bar")
# Figures: `{% figure_value figure %}`, `{% figure_period figure %}`, `{% figure_reporter figure %}`,
# `{% source_link source %}`.
for function in (cells.figure_value, cells.figure_period, cells.figure_reporter, cells.source_link):
    register.simple_tag(function, name=function.__name__)
# `{{ document|label:"kind" }}`: what document.get_kind_display gives, for lists of records
# (get_FOO_display rebuilds the choice map on every call).
register.filter("label", cells.choice_label)
# `{{ commitment.progress|percent }}`: 45%, or as the page's language writes it.
register.filter("percent", cells.percent)


@register.filter
def labelled(values, choices):
    """`{% for label, count in row.counts|labelled:report.statuses %}`: each value with the label of
    its column, for the phone's cards (`data-label`); `choices` are (value, label) pairs in the
    order of the values."""
    return [(capfirst(label), value) for (_choice, label), value in zip(choices, values, strict=False)]
