"""`python manage.py evaluate_parser DIR`: precision and recall of the parser per field."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directives.importing.evaluate import evaluate, format_report


class Command(BaseCommand):
    help = (
        "Parse every NAME.txt that has a NAME.expected.json in DIR and print precision and "
        "recall per field; the last line is the overall F1."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dir", help="folder of NAME.expected.json (and NAME.txt) files")
        parser.add_argument(
            "--texts",
            dest="texts_dir",
            default=None,
            help="folder of the NAME.txt files when they are not beside the expectations",
        )

    def handle(self, *args, dir: str, texts_dir: str | None = None, **options) -> None:
        folder = Path(dir)
        if not folder.is_dir():
            raise CommandError(f"Không tìm thấy thư mục “{dir}”.")
        if texts_dir is not None and not Path(texts_dir).is_dir():
            raise CommandError(f"Không tìm thấy thư mục văn bản “{texts_dir}”.")
        try:
            report = evaluate(folder, texts_dir=texts_dir)
        except (ValueError, OSError) as exc:
            raise CommandError(f"Không đọc được dữ liệu đánh giá: {exc}") from exc
        if not report["documents"]:
            raise CommandError(
                f"Thư mục “{dir}” không có cặp tệp NAME.txt và NAME.expected.json nào."
            )
        self.stdout.write(format_report(report))
