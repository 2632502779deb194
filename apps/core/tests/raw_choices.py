"""Find raw choice keys ("submitted", "under_review") in the visible text of a page.

A page shows a choice by its label; a key on screen is a missing ``get_…_display``. Tests of pages
call ``raw_choice_values(html)`` and assert it is empty.
"""

import re
from functools import cache
from html.parser import HTMLParser

from django.apps import apps

# Keys that are also ordinary words or brand names a page may show on purpose.
ALLOWED = {"email", "wechat", "sms", "html", "excel", "online", "phone", "admin"}
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@cache
def choice_keys() -> frozenset[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and len(value) >= 4 and _KEY.match(value) and value not in ALLOWED:
                    found.add(value)
    return frozenset(found)


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "textarea", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def raw_choice_values(html: str) -> list[str]:
    """The choice keys that appear as words in the page's visible text."""
    parser = _Text()
    parser.feed(html)
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", " ".join(parser.parts)))
    return sorted(words & choice_keys())
