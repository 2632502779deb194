"""Modules a reader can hold: no Python module of an app passes ~600 lines (migrations, demo data
and tests aside); a module that grows past that becomes a package along its sections."""

from pathlib import Path

from django.conf import settings

LIMIT = 600


def test_no_app_module_is_over_600_lines():
    too_long = {}
    for path in sorted(Path(settings.BASE_DIR, "apps").rglob("*.py")):
        parts = set(path.parts)
        if "migrations" in parts or "tests" in parts or path.name in ("demo.py",) or "demo" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            too_long[str(path.relative_to(settings.BASE_DIR))] = lines
    assert not too_long, f"split these into packages along their sections: {too_long}"
