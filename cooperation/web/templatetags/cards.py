"""`{% card _("Status timeline") "timeline" %}…{% endcard %}`: a card of a detail page, a section under
its heading. With a name, the heading gets the id "<name>-heading" and labels the section."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


PLAIN = '<section class="card">\n  <h2>{heading}</h2>{body}</section>'
LABELLED = '<section class="card" aria-labelledby="{anchor}">\n  <h2 id="{anchor}">{heading}</h2>{body}</section>'


class CardNode(template.Node):
    def __init__(self, heading, name, body):
        self.heading, self.name, self.body = heading, name, body

    def render(self, context):
        # The body was rendered (and escaped) by the template engine.
        parts = {"heading": self.heading.resolve(context), "body": mark_safe(self.body.render(context))}  # noqa: S308
        if self.name is None:
            return format_html(PLAIN, **parts)
        return format_html(LABELLED, anchor=f"{self.name.resolve(context)}-heading", **parts)


@register.tag
def card(parser, token):
    heading, *name = token.split_contents()[1:]
    body = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(parser.compile_filter(heading), parser.compile_filter(name[0]) if name else None, body)
