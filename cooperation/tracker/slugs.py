"""The one slug rule, for the models (SluggedMixin), the seed (fixtures/build_seed.py) and the demo
data (cooperation/devdata): "Kazakhstan–Serbia Business Council" → "kazakhstan-serbia-business-council",
then -2, -3, … for the next records with the same text.

Django's slugify alone would drop the dash between words ("kazakhstanserbia"), so dashes become
spaces first; and it would drop every letter of a name in Cyrillic (a Russian or Serbian name got
the slug `item`), so the text is first transliterated to ASCII with anyascii ("Министерство
иностранных дел" → "ministerstvo-inostrannykh-del", "Вучић" → "vuchic", "Đorđe" → "dorde").
Needs no Django set-up (slugify is a plain function): build_seed.py runs as a script.
"""

import itertools
import re
from collections.abc import Callable, Iterator

from anyascii import anyascii
from django.utils.text import slugify

# The length of every model's slug field.
MAX_LENGTH = 120
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar.
DASHES = re.compile(r"[\u2010-\u2015]")


def candidates(text: str, max_length: int = MAX_LENGTH) -> Iterator[str]:
    """The slugs `text` may have, in order of preference: its own, then numbered -2, -3, …"""
    base = slugify(anyascii(DASHES.sub(" ", text)))[:max_length].strip("-") or "item"
    yield base
    for number in itertools.count(2):
        suffix = f"-{number}"
        yield f"{base[: max_length - len(suffix)]}{suffix}"


def unique_slug(text: str, is_taken: Callable[[str], bool], max_length: int = MAX_LENGTH) -> str:
    """The first of `candidates(text)` that `is_taken` says no other record has."""
    return next(candidate for candidate in candidates(text, max_length) if not is_taken(candidate))
