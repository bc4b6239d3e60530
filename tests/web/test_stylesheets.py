"""The stylesheets parse as written: an unclosed block would make every rule after it a nested
rule (CSS nesting), which silently applies to nothing."""

from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted(p for p in (Path(settings.BASE_DIR) / "static").rglob("*.css") if "vendor" not in p.parts)


def without_comments_and_strings(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
        elif text[i] in "\"'":
            i = text.index(text[i], i + 1) + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_block_is_closed(path):
    depth = 0
    for number, line in enumerate(without_comments_and_strings(path.read_text(encoding="utf-8")).splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number} closes a block never opened"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
