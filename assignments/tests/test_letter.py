"""GET /api/v1/notices/<id>/letter.pdf — the legal aid letter (M 5): a PDF with an embedded CJK font
whose text holds the lawyer's name; the court sees only its own; a clear error without a font."""
import io

import pytest
from pypdf import PdfReader

from assignments import letter
from assignments.tests import factories as f


def fonts_of(pdf: bytes) -> set:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont")))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font is embedded"
    return names


@pytest.fixture
def designated(world):
    lawyer = f.lawyer(world, name="欧阳明律师")
    notice = f.notice(world)
    f.designate(world, notice, lawyer)
    return notice, lawyer


def test_the_court_downloads_the_letter_with_the_lawyer_name_in_an_embedded_cjk_font(designated, court_client):
    notice, lawyer = designated
    response = court_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert any("CJK" in name or "LetterCJK" in name for name in fonts_of(pdf))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert lawyer.name in text
    assert notice.case.case_number in text and notice.defendant.name in text and lawyer.phone in text


def test_another_court_gets_404(designated, other_court_client):
    notice, _lawyer = designated
    response = other_court_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"


def test_no_letter_before_a_designation(world, court_client):
    notice = f.notice(world)
    assert court_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf").status_code == 404


def test_staff_download_it_too(designated, staff_client):
    notice, _lawyer = designated
    assert staff_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf").status_code == 200


def test_without_a_cjk_font_it_says_what_to_install(designated, staff_client, monkeypatch, settings):
    notice, _lawyer = designated
    settings.LETTER_CJK_FONT = "/nonexistent/font.otf"
    monkeypatch.setattr(letter, "_system_families", lambda: [])
    monkeypatch.setattr(letter, "_package_font", lambda: None)
    letter.cjk_font.cache_clear()
    from django.core.cache import cache

    cache.clear()
    try:
        response = staff_client.get(f"/api/v1/notices/{notice.pk}/letter.pdf", HTTP_ACCEPT_LANGUAGE="en")
    finally:
        letter.cjk_font.cache_clear()
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["code"] == "letter_font_missing" and "fonts-noto-cjk" in error["message"]
