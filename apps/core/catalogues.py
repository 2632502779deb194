"""Reading the gettext catalogues (.po) of the project and of each app, to check them.

Django looks for a translation in ``LOCALE_PATHS`` (the project catalogue) before the apps'
own catalogues, and among apps the one listed first wins, so a msgid translated differently in
two catalogues shows one catalogue's words everywhere and the other's are never used.
:func:`conflicts` finds such msgids; a test keeps the list empty (give short words a context
with ``pgettext`` instead).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path


def parse_po(path):
    """A tiny .po reader: one dict per entry with msgid, msgid_plural, msgstrs, flags, obsolete."""
    entries = []
    entry = None
    field = None

    def new_entry():
        return {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}, "obsolete": False}

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = new_entry()
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            field = ("msgstr", int(match.group(1)))
            entry["msgstr"][field[1]] = value
        elif keyword == "msgstr":
            field = ("msgstr", 0)
            entry["msgstr"][0] = value
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            field = (keyword, None)
            entry[keyword] = value
    return [e for e in entries if not e["obsolete"] and (e["msgid"] or e["msgstr"])]


def catalogues(base_dir: Path, language: str = "en") -> list[Path]:
    """Every django.po of a language in the repository (the project's and each app's)."""
    base_dir = Path(base_dir)
    found = [base_dir / "locale" / language / "LC_MESSAGES" / "django.po"]
    found += sorted(base_dir.glob(f"apps/*/locale/{language}/LC_MESSAGES/django.po"))
    return [path for path in found if path.is_file()]


def conflicts(base_dir: Path, language: str = "en") -> dict[tuple[str, str], dict[str, str]]:
    """(msgctxt, msgid) translated differently by two catalogues -> {catalogue: msgstr}."""
    seen: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for path in catalogues(base_dir, language):
        name = str(path.relative_to(base_dir))
        for entry in parse_po(path):
            msgstr = entry["msgstr"].get(0, "")
            if entry["msgid"] and msgstr and "fuzzy" not in entry["flags"]:
                seen[(entry.get("msgctxt") or "", entry["msgid"])][name] = msgstr
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}
