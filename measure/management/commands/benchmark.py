from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from measure.benchmarking import explain as explain_floors
from measure.benchmarking import format_table, run_benchmark
from units.models import User


class Command(BaseCommand):
    help = (
        "Measure pages and jobs on the dataset of generate_load: median and p95 server time, "
        "queries, the hand-written SQL floor and the ratio, peak memory of jobs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=15, help="timed runs per case")
        parser.add_argument("--json", dest="json_path", help="also write the results here")
        parser.add_argument("--only", help="run only the cases whose name contains this")
        parser.add_argument(
            "--explain", action="store_true", help="print each case's floor SQL, measure nothing"
        )

    def handle(
        self, *args, runs: int, json_path: str | None, only: str | None, explain: bool, **options
    ):
        if runs < 1:
            raise CommandError("--runs phải lớn hơn 0.")
        if not User.objects.filter(username="load.national").exists():
            raise CommandError("Chưa có dữ liệu đo: chạy `python manage.py generate_load` trước.")
        if explain:
            self.stdout.write(explain_floors(only=only))
            return
        # Pages are measured as production serves them, with the hashed static manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        results = run_benchmark(runs=runs, only=only, echo=self.stderr.write)
        self.stdout.write(format_table(results))
        if json_path:
            Path(json_path).write_text(
                json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2)
            )
            self.stdout.write(f"JSON: {json_path}")
