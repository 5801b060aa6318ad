from __future__ import annotations

from django.test import RequestFactory

from config.pagination import paginate


def test_a_page_keeps_the_filters_but_not_its_own_number():
    request = RequestFactory().get("/", {"status": "overdue", "page": "2", "q": "dân vận"})

    page = paginate(request, list(range(30)), 25)

    assert page["page_obj"].number == 2
    assert list(page["rows"]) == list(range(25, 30))
    assert "page=" not in page["querystring"]
    assert "status=overdue" in page["querystring"]
    assert "q=d%C3%A2n+v%E1%BA%ADn" in page["querystring"]


def test_a_page_number_out_of_range_or_not_a_number_gives_a_page():
    for number in ("99", "abc", "-1"):
        request = RequestFactory().get("/", {"page": number})
        page = paginate(request, list(range(30)), 25)
        assert page["page_obj"].number in (1, 2)
        assert page["querystring"] == ""
