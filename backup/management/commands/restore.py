"""python manage.py restore FOLDER: a backup into an empty database and media folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from backup.inventory import (
    DATABASE_FILE,
    MANIFEST_FILE,
    MEDIA_FILE,
    differences,
    media_files,
    read_manifest,
    table_counts,
)


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (thư mục backups/<thời điểm>/) vào cơ sở dữ liệu trống "
        "và thư mục tệp trống, rồi đối chiếu số dòng và các tệp với bản sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="thư mục bản sao lưu, ví dụ backups/20261129-070000")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        missing = [
            name
            for name in (DATABASE_FILE, MEDIA_FILE, MANIFEST_FILE)
            if not (folder / name).is_file()
        ]
        if missing:
            raise CommandError(f"{folder} không phải bản sao lưu: thiếu {', '.join(missing)}.")
        if table_counts():
            raise CommandError(
                "Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cơ sở dữ liệu trống "
                "(tạo mới, rồi đặt DATABASE_URL trỏ tới nó)."
            )
        if media_files():
            raise CommandError(
                f"Thư mục tệp {settings.MEDIA_ROOT} đã có tệp: chỉ khôi phục vào thư mục trống."
            )
        manifest = read_manifest(folder)
        call_command(
            "dbrestore", input_path=str(folder / DATABASE_FILE), interactive=False, verbosity=0
        )
        call_command(
            "mediarestore", input_path=str(folder / MEDIA_FILE), interactive=False, verbosity=0
        )
        problems = differences(manifest)
        if problems:
            raise CommandError("Khôi phục chưa khớp bản sao lưu:\n" + "\n".join(problems))
        self.stdout.write(
            f"Đã khôi phục {len(manifest['tables'])} bảng và {len(manifest['media'])} tệp; "
            "số dòng và các tệp khớp với bản sao lưu."
        )
