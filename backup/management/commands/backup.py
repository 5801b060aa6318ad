"""python manage.py backup: the database and the uploaded files into backups/<time>/."""

from __future__ import annotations

from pathlib import Path

from dbbackup.db.base import get_connector
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from backup.inventory import DATABASE_FILE, MEDIA_FILE, write_manifest


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một thư mục backups/<thời điểm>/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.BACKUP_DIR), help="thư mục chứa các bản sao lưu"
        )

    def handle(self, *args, **options):
        folder = Path(options["dir"]) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        folder.mkdir(parents=True, exist_ok=False)
        # The manifest counts rows in the very snapshot pg_dump reads (exported from this
        # transaction), so a restore must reproduce those counts exactly even when users
        # write while the backup runs.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest = write_manifest(folder)
            connector = get_connector()
            connector.dump_suffix = f"--snapshot={snapshot}"
            dump = connector.create_dump()
        with (folder / DATABASE_FILE).open("wb") as out:
            dump.seek(0)
            while chunk := dump.read(1 << 20):
                out.write(chunk)
        # Uploaded files are only ever added: every file the manifest lists is in the tar.
        call_command("mediabackup", output_path=str(folder / MEDIA_FILE), verbosity=0)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng ({rows} dòng) và "
            f"{len(manifest['media'])} tệp vào {folder}"
        )
