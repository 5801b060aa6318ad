"""Checks on what users upload, shared by the forms and the services."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Office documents, PDFs, images and archives: what units attach as evidence.
ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx",
    ".txt", ".rtf", ".jpg", ".jpeg", ".png", ".zip",
}  # fmt: skip
# The first bytes of the formats above; a renamed executable is refused.
MAGIC = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".zip": [b"PK"],
    ".docx": [b"PK"],
    ".xlsx": [b"PK"],
    ".pptx": [b"PK"],
    ".odt": [b"PK"],
    ".ods": [b"PK"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
    ".ppt": [b"\xd0\xcf\x11\xe0"],
    ".rtf": [b"{\\rtf"],
}


def validate_attachment(upload: UploadedFile) -> None:
    """Refuse a file whose type is not accepted, whose content does not match its name,
    or that is larger than MAX_UPLOAD_MB, with a message saying which and why."""
    name = upload.name or ""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: this file type is not accepted. Accepted types: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the largest accepted file is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    signatures = MAGIC.get(extension)
    if signatures:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("“%(name)s” does not contain what its name says; it was not accepted.")
                % {"name": name}
            )
