"""Render deploy/nginx/union-portal.conf.template: python deploy/render.py KEY=VALUE ... > site.conf"""

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx") / "union-portal.conf.template"
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")  # ${NAME}; nginx's own $variables are left alone


def render(values: dict[str, str]) -> str:
    """The nginx site with every ${NAME} filled in; refuses to leave one empty."""
    text = TEMPLATE.read_text(encoding="utf-8")
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise SystemExit(f"missing values: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


if __name__ == "__main__":
    sys.stdout.write(render(dict(arg.split("=", 1) for arg in sys.argv[1:])))
