"""`python manage.py evaluate_parser DIR`: precision and recall of the parser per field.

DIR is either a folder of expectations in the shape of `ParseResult.to_json()` (the seeds'
`tests/directives/expected`, with `--texts`) or the development corpus (`../shared/corpus`,
whose expectations have `doc_type`): then the table has the corpus fields and the mean."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directives.importing.evaluate import (
    evaluate,
    evaluate_corpus,
    format_corpus_report,
    format_report,
    is_corpus_folder,
)


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
        parser.add_argument(
            "--per-document",
            action="store_true",
            help="corpus only: also list, per document, the fields it does not get fully right",
        )

    def handle(
        self,
        *args,
        dir: str,
        texts_dir: str | None = None,
        per_document: bool = False,
        **options,
    ) -> None:
        folder = Path(dir)
        if not folder.is_dir():
            raise CommandError(f"Không tìm thấy thư mục “{dir}”.")
        if texts_dir is not None and not Path(texts_dir).is_dir():
            raise CommandError(f"Không tìm thấy thư mục văn bản “{texts_dir}”.")
        try:
            if texts_dir is None and is_corpus_folder(folder):
                report = evaluate_corpus(folder)
                if report["documents"]:
                    self.stdout.write(format_corpus_report(report, per_document=per_document))
                    return
            report = evaluate(folder, texts_dir=texts_dir)
        except (ValueError, OSError) as exc:
            raise CommandError(f"Không đọc được dữ liệu đánh giá: {exc}") from exc
        if not report["documents"]:
            raise CommandError(
                f"Thư mục “{dir}” không có cặp tệp NAME.txt và NAME.expected.json nào."
            )
        self.stdout.write(format_report(report))
