"""Text out of an uploaded file: .txt, .docx, .pdf.

python-docx and pypdf are optional: imported only when such a file arrives, so the parser
itself stays standard-library only. Every failure a user can cause raises
`ImportTextError` with a message in Vietnamese that the import form shows as is.
"""

from __future__ import annotations

import io
import os


class ImportTextError(ValueError):
    """The uploaded file cannot give text (message in Vietnamese, for the user)."""


def _decode_txt(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-8"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        # Old Vietnamese Windows files; cp1258 decodes almost any byte string, so it goes last.
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ImportTextError("Không đọc được tệp văn bản: bảng mã không hỗ trợ.") from exc


def _docx_text(data: bytes) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportTextError("Máy chủ chưa cài thư viện đọc tệp .docx (python-docx).") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        raise ImportTextError("Tệp .docx bị hỏng hoặc không đúng định dạng.") from exc
    parts: list[str] = []
    # Walk the body in order so tables (header blocks are often 2-column tables) keep
    # their place between paragraphs.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    # Merged cells repeat the same object; print each once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    parts.append(cell.text)
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportTextError("Máy chủ chưa cài thư viện đọc tệp .pdf (pypdf).") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise ImportTextError("Tệp .pdf bị hỏng hoặc không đọc được.") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ImportTextError(
            "Tệp .pdf không có lớp văn bản (có thể là bản scan): hãy dùng tệp Word hoặc "
            "nhận dạng chữ (OCR) trước khi nhập."
        )
    return text


def extract_text(filename: str, data: bytes) -> str:
    """The text of an uploaded .txt, .docx or .pdf file.

    Raises `ImportTextError` for an unsupported type, an empty file, or a file without
    readable text.
    """
    ext = os.path.splitext(filename or "")[1].lower()
    if ext not in (".txt", ".docx", ".pdf"):
        raise ImportTextError(
            f"Không hỗ trợ loại tệp “{ext or filename}”: chỉ nhận .txt, .docx hoặc .pdf."
        )
    if not data:
        raise ImportTextError("Tệp rỗng: không có nội dung để nhập.")
    if ext == ".txt":
        text = _decode_txt(data)
    elif ext == ".docx":
        text = _docx_text(data)
    else:
        text = _pdf_text(data)
    if not text.strip():
        raise ImportTextError("Tệp không có nội dung văn bản để nhập.")
    return text
