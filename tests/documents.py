"""Rendering a .docx as a reader would see it: LibreOffice converts it to PDF and the
text of each page is read back (NFC, as Vietnamese is compared in the tests)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path


def docx_pdf_pages(docx: bytes, workdir: Path, name: str = "bao-cao") -> list[str]:
    """The text of each page of ``docx`` rendered to PDF by LibreOffice (which must be
    installed: the tests say so rather than skip)."""
    from pypdf import PdfReader

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed on this machine"
    source = workdir / f"{name}.docx"
    source.write_bytes(docx)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{workdir}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = PdfReader(workdir / f"{name}.pdf").pages
    return [unicodedata.normalize("NFC", page.extract_text()) for page in pages]
