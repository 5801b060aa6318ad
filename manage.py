#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not all(os.environ.get(name) for name in ("DATABASE_URL", "REDIS_URL")):
        # Nothing configured: run this same command with the embedded servers, as
        # `make run` and `make test` do, instead of failing on missing settings.
        from config.embedded import main as embedded

        sys.exit(embedded(["exec", "--", sys.executable, *sys.argv]))
    from config.settings_check import EXIT_BAD_SETTINGS, problem, report

    message = problem(os.environ["DJANGO_SETTINGS_MODULE"])
    if message is not None:
        report(message)
        sys.exit(EXIT_BAD_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
