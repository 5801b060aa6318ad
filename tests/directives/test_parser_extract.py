"""Text extraction from uploaded .txt, .docx and .pdf files (files built in the test)."""

from __future__ import annotations

import io

import pytest

from directives.importing import ImportTextError, clean_text, extract_text, parse_document


def test_txt_in_utf8_with_bom_is_read() -> None:
    data = "\ufeffKẾT LUẬN\nvề dân vận".encode()
    assert extract_text("kl.txt", data).startswith("KẾT LUẬN")


def test_txt_in_windows_1258_is_read() -> None:
    # cp1258 writes "ê" as one byte and the hook tone as a combining mark after "a".
    data = b"\xd0a\xd2ng b\xf4\xf2 Ki\xean Giang"
    text = clean_text(extract_text("cv.TXT", data))
    assert text.strip() == "Đảng bộ Kiên Giang"


def test_docx_paragraphs_and_tables_come_out_in_document_order() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "TỈNH ỦY HẢI DƯƠNG\n*\nSố 56 - KL/TU"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM\nHải Dương, ngày 22 tháng 10 năm 2018"
    document.add_paragraph("KẾT LUẬN")
    document.add_paragraph("về công tác dân vận")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text("ket-luan.docx", buffer.getvalue())
    assert text.index("TỈNH ỦY HẢI DƯƠNG") < text.index("KẾT LUẬN")
    result = parse_document(text)
    assert (result.code, result.issuer, result.kind) == ("56-KL/TU", "Tỉnh ủy Hải Dương", "KL")
    assert result.subject == "về công tác dân vận"


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` (ASCII) in Helvetica, offsets computed by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_pdf_with_a_text_layer_is_read() -> None:
    pytest.importorskip("pypdf")
    text = extract_text("kl.pdf", _minimal_pdf("Ket luan so 56-KL/TU"))
    assert "56-KL/TU" in text


def test_pdf_without_text_layer_is_refused_with_a_clear_message() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ImportTextError, match="không có lớp văn bản"):
        extract_text("scan.pdf", buffer.getvalue())


def test_unsupported_type_and_empty_file_are_refused_in_vietnamese() -> None:
    with pytest.raises(ImportTextError, match="Không hỗ trợ loại tệp"):
        extract_text("bang.xlsx", b"PK\x03\x04")
    with pytest.raises(ImportTextError, match="Tệp rỗng"):
        extract_text("rong.txt", b"")
    with pytest.raises(ImportTextError, match="bị hỏng"):
        extract_text("hong.docx", b"not a zip")
