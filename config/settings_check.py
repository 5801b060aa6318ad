"""Check the settings before anything starts, and say in one line what is wrong.

``python -m config.settings_check`` imports the settings with the environment it is given
(DATABASE_URL and REDIS_URL may be placeholders when the embedded servers will provide
them) and exits 0, or prints one line naming the variable and what it expects and exits
2. ``make run``, ``make test`` (through ``config.embedded``) and ``manage.py`` call it so a
typo stops them before PostgreSQL or Redis is started, without a traceback.
"""

from __future__ import annotations

import importlib
import sys

from django.core.exceptions import ImproperlyConfigured

EXIT_BAD_SETTINGS = 2


def problem(module: str = "config.settings") -> str | None:
    """The message of the first bad setting, or None when the settings load."""
    try:
        importlib.import_module(module)
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def report(message: str) -> None:
    print(f"Cấu hình sai: {message}", file=sys.stderr, flush=True)


def main() -> int:
    message = problem()
    if message is None:
        return 0
    report(message)
    return EXIT_BAD_SETTINGS


if __name__ == "__main__":
    sys.exit(main())
