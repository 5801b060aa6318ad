"""What an uploaded file is, decided from its content.

The name and the Content-Type the browser sends are the user's claims; the bytes are the
evidence. A file is accepted only when its content is of the type its extension names, and
it is stored and served with the type found here, never with the one the client sent.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from directives.validators import validate_attachment

OOXML = "application/vnd.openxmlformats-officedocument"
# The type an accepted extension must hold, as served back.
TYPE_OF_EXTENSION = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
    ".docx": f"{OOXML}.wordprocessingml.document",
    ".xlsx": f"{OOXML}.spreadsheetml.sheet",
    ".pptx": f"{OOXML}.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
}
# The part every real document of a zip-based format holds.
ZIP_MEMBER = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
OPENDOCUMENT_MIMETYPE = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Control characters plain text never holds (tab, LF, FF and CR are fine).
BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})
HEAD = 8192


def _zip_holds(handle: IO[bytes], extension: str) -> bool:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if extension in ZIP_MEMBER:
                return ZIP_MEMBER[extension] in names
            if extension in OPENDOCUMENT_MIMETYPE:
                return (
                    "mimetype" in names
                    and archive.read("mimetype").strip() == OPENDOCUMENT_MIMETYPE[extension]
                )
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        return False


def _is_plain_text(handle: IO[bytes]) -> bool:
    """UTF-8 (or UTF-16 with its byte-order mark) text without binary control bytes."""
    data = handle.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
        return not any(ord(ch) < 32 and ch not in "\t\n\f\r" for ch in text)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(byte in BINARY_BYTES for byte in data)


def content_type_of(handle: IO[bytes], extension: str) -> str | None:
    """The type of ``handle``'s content when it is what ``extension`` says, else None."""
    expected = TYPE_OF_EXTENSION.get(extension)
    if expected is None:
        return None
    handle.seek(0)
    head = handle.read(HEAD)
    handle.seek(0)
    found = filetype.guess_mime(head)
    if head.startswith(b"MZ") or found in {"application/x-msdownload", "application/x-elf"}:
        return None
    try:
        if extension == ".txt":
            return expected if found is None and _is_plain_text(handle) else None
        if extension in (".doc", ".xls", ".ppt"):
            return expected if head.startswith(OLE_HEADER) else None
        if extension == ".rtf":
            return expected if head.startswith(b"{\\rtf") else None
        if extension in (".zip", *ZIP_MEMBER, *OPENDOCUMENT_MIMETYPE):
            zipped = head.startswith(b"PK\x03\x04") and _zip_holds(handle, extension)
            return expected if zipped else None
        return expected if found == expected else None
    finally:
        handle.seek(0)


def validate_upload(upload: UploadedFile) -> str:
    """Check name, size and content; set and return the type found in the content."""
    validate_attachment(upload)
    found = content_type_of(upload, Path(upload.name or "").suffix.lower())
    if found is None:
        raise ValidationError(
            _("“%(name)s” does not contain what its name says; it was not accepted.")
            % {"name": upload.name}
        )
    upload.content_type = found
    return found


def stored_content_type(handle: IO[bytes], name: str) -> str:
    """The type to serve a stored file with: found again from its content."""
    return content_type_of(handle, Path(name).suffix.lower()) or "application/octet-stream"
