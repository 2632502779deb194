"""Every <input type=date> on every form renders its value as ISO yyyy-mm-dd.

Chromium shows an empty date field for any other shape (zh-hans would format 2026/12/03).
"""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps as django_apps
from django.utils import translation


def _form_modules():
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        for name in ("forms", "auth_forms"):
            try:
                module = importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
            yield module
            if hasattr(module, "__path__"):
                for info in pkgutil.iter_modules(module.__path__):
                    yield importlib.import_module(f"{module.__name__}.{info.name}")


def _date_fields():
    seen = set()
    for module in _form_modules():
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, forms.BaseForm)) or obj in seen:
                continue
            seen.add(obj)
            for name, field in getattr(obj, "base_fields", {}).items():
                widget = field.widget
                if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                    yield pytest.param(field, id=f"{obj.__module__}.{obj.__name__}.{name}")


DATE_FIELDS = list(_date_fields())


def test_the_portal_has_date_inputs_to_check():
    assert len(DATE_FIELDS) >= 8


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_input_renders_iso(field, language):
    day = datetime.date(2026, 12, 3)
    with translation.override(language):
        html = field.widget.render("d", day)
    assert 'value="2026-12-03"' in html, html
