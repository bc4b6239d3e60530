"""Form widgets drawn in Python: a filter form is on every list page, and Django renders each
option of a select through its own template."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """Django's select renders each option through its own template: that cost the status report
    about 20 ms a request for its few hundred organizations, and every list page a millisecond or
    two for its filters. The same markup, in Python (there are no option groups or per-option
    attributes here)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'\n  <option value="{escape(key)}"{" selected" if str(key) in selected else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}\n</select>')  # noqa: S308 — all escaped
