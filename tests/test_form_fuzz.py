"""Generated input posted to every form: never a 5xx, and a refused form changes nothing.

Each endpoint's form is read from its own page (names, kinds, choices, current values),
so a field added later is fuzzed too; forms that live inside a list page (review,
extension decision, explanation answer) are described here.
"""

from __future__ import annotations

import datetime
import html.parser
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directives.models import ExplanationRequest, ExtensionRequest, Recurrence
from directives.status import local_today
from reports import services as report_services
from reports.models import PeriodKind, ReportingPeriod
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from units.models import Role

pytestmark = pytest.mark.django_db

APPS = {"units", "directives", "reports", "notifications"}


def fingerprint() -> dict[str, int]:
    """Row counts of every table of ours, history events included: any write shows."""
    return {
        model._meta.label: model._default_manager.using("default").count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, checkbox, select, number, date, file
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


class FormParser(html.parser.HTMLParser):
    """The fields of every POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self.current)
        if self.current is None or tag not in {"input", "select", "option", "textarea"}:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "reset"}:
                return
            if a.get("placeholder") == "dd/mm/yyyy":
                kind = "date"
            value = a.get("value") or ""
            if kind == "checkbox":
                value = "on" if "checked" in a else ""
            self.current["fields"].append(Field(a["name"], kind, value))
        elif tag == "select" and a.get("name"):
            self.select = Field(a["name"], "select", multiple="multiple" in a)
            self.current["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a:
                self.select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = Field(a["name"], "textarea")
            self.current["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None


def page_form(client, url: str) -> list[Field]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = FormParser()
    parser.feed(response.content.decode())
    forms = [
        f for f in parser.forms
        if "logout" not in f["action"] and "i18n" not in f["action"]
    ]  # fmt: skip
    assert forms, url
    return max(forms, key=lambda f: len(f["fields"]))["fields"]


# --- Values -----------------------------------------------------------------------------

LENGTHS = [0, 1, 20, 21, 60, 61, 120, 121, 300, 301, 500, 501, 20_000, 20_001]
ugly_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(LENGTHS).map(lambda n: "ạ" * n),
    st.sampled_from(
        ["=HYPERLINK(\"http://evil.example/\",\"x\")", "<script>alert(1)</script>", "\x00",
         "' OR 1=1 --", "../../etc/passwd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", " ", "\r\n\r\n"]
    ),
)  # fmt: skip
any_day = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
ugly_date = st.one_of(
    any_day.map(lambda d: d.strftime("%d/%m/%Y")),
    any_day.map(lambda d: d.isoformat()),
    st.sampled_from(["31/12/9999", "01/01/0001", "29/02/2023", "00/00/0000", "1/1/1929",
                     "31/12/2100", "01/01/2101", "99999-01-01", "hôm nay"]),
    st.text(max_size=12),
)  # fmt: skip
ugly_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["-1", "0", "100", "101", "1e308", "NaN", "Infinity", "1,5", "", "٣"]),
    st.text(max_size=8),
)


def value_for(f: Field) -> st.SearchStrategy:
    keep = st.just(f.value)
    if f.kind == "file":
        return st.just(None)
    if f.kind == "hidden":
        if f.name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
            return st.one_of(keep, keep, ugly_number)
        return st.one_of(keep, keep, keep, ugly_text, ugly_number)
    if f.kind == "checkbox":
        return st.sampled_from(["on", ""])
    if f.kind == "select":
        real = st.sampled_from(f.options) if f.options else keep
        pick = st.one_of(real, real, real, ugly_number, ugly_text)
        return st.lists(pick, max_size=3) if f.multiple else pick
    if f.kind == "date":
        return st.one_of(keep, ugly_date)
    if f.kind == "number":
        return st.one_of(keep, ugly_number)
    return st.one_of(keep, ugly_text)


def post_data(draw, fields: list[Field]) -> dict:
    data = {}
    for f in fields:
        value = draw(value_for(f), label=f.name)
        if value is None or (f.kind == "checkbox" and not value):
            continue
        data[f.name] = value
    return data


# --- The world --------------------------------------------------------------------------


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    a = two_provinces["a"]
    today = local_today()
    directive = DirectiveFactory(issuer=a["committee"], monitoring_unit=a["board"])
    task = TaskFactory(directive=directive, due_on=today + datetime.timedelta(days=20))
    yearly = TaskFactory(
        directive=directive, section="2", due_on=today + datetime.timedelta(days=40),
        recurrence=Recurrence.YEARLY,
    )  # fmt: skip
    assignment = AssignmentFactory(task=task, unit=a["front"], due_on=task.due_on)
    recurring = AssignmentFactory(
        task=yearly, unit=a["front"], due_on=yearly.due_on, recurrence=Recurrence.YEARLY
    )
    overdue = AssignmentFactory(
        task=task, unit=a["commune"], due_on=today - datetime.timedelta(days=5)
    )
    report = ProgressReportFactory(assignment=recurring, author=a["staff"], completed=True)
    extension = ExtensionRequest.objects.create(
        assignment=assignment, requested_by=a["staff"], current_due_on=assignment.due_on,
        proposed_due_on=assignment.due_on + datetime.timedelta(days=30), reason="Thiếu kinh phí",
    )  # fmt: skip
    explanation = ExplanationRequest.objects.create(
        assignment=overdue, requested_by=a["monitor"], message="Đề nghị giải trình"
    )
    period, _created = ReportingPeriod.objects.get_or_create(
        kind=PeriodKind.FIRST_HALF, start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2024, 6, 30), directive=None,
        defaults={"label": "6 tháng đầu năm 2024"},
    )  # fmt: skip
    request = report_services.report_request_create(
        by=a["monitor"], committee=a["committee"], period=period, title="Báo cáo 6 tháng",
        deadline=today + datetime.timedelta(days=10), units=[a["front"]],
    )  # fmt: skip
    leader = UserFactory(unit=a["front"], role=Role.LEADER)
    admin = UserFactory(unit=None, role=Role.ADMIN)
    return {
        **a, "directive": directive, "task": task, "assignment": assignment,
        "overdue": overdue, "report": report, "extension": extension,
        "explanation": explanation, "request": request, "leader": leader, "admin": admin,
    }  # fmt: skip


def import_draft_url(client) -> str:
    text = (
        "TỈNH ỦY HẢI DƯƠNG\nSố 56-KL/TU\nHải Dương, ngày 05 tháng 02 năm 2025\n"
        "KẾT LUẬN\nvề công tác dân vận\n1. Quán triệt kết luận, hoàn thành trước ngày 31/3/2025.\n"
    )
    response = client.post(reverse("directives:import"), {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


DECISION = [Field("decision", "select", options=["accept", "return"]), Field("comment", "textarea")]
EXTENSION = [
    Field("decision", "select", options=["approve", "refuse"]),
    Field("comment", "textarea"),
]

# name → (user, the page to read the form from or None, the URL to post to, fixed fields)
ENDPOINTS = {
    "directive create": ("monitor", lambda w: reverse("directives:create"), None),
    "directive edit": (
        "monitor", lambda w: reverse("directives:edit", args=[w["directive"].pk]), None,
    ),
    "task assign": (
        "monitor",
        lambda w: reverse("directives:task_assign", args=[w["directive"].pk, w["task"].pk]),
        None,
    ),
    "import start": ("monitor", lambda w: reverse("directives:import"), None),
    "import review": ("monitor", "import", None),
    "progress report": (
        "staff", lambda w: reverse("progress:assignment_report", args=[w["assignment"].pk]), None,
    ),
    "extension request": (
        "staff", lambda w: reverse("progress:extension_request", args=[w["assignment"].pk]),
        [Field("proposed_due_on", "date"), Field("reason", "textarea")],
    ),
    "explanation request": (
        "monitor", lambda w: reverse("progress:explanation_request", args=[w["overdue"].pk]),
        [Field("message", "textarea")],
    ),
    "explanation answer": (
        "commune_staff",
        lambda w: reverse("progress:explanation_answer", args=[w["explanation"].pk]),
        [Field("answer", "textarea")],
    ),
    "report review": (
        "monitor", lambda w: reverse("progress:report_review", args=[w["report"].pk]), DECISION,
    ),
    "extension decision": (
        "monitor", lambda w: reverse("progress:extension_decide", args=[w["extension"].pk]),
        EXTENSION,
    ),
    "roll-up": ("monitor", lambda w: reverse("reports:rollup_create"), None),
    "report request": ("monitor", lambda w: reverse("reports:request_create"), None),
    "unit report": (
        "leader", lambda w: reverse("reports:unit_report", args=[w["request"].pk]), None,
    ),
    "notification settings": ("staff", lambda w: reverse("notifications:preferences"), None),
    "password": ("staff", lambda w: reverse("password_change"), None),
    "api key": ("admin", lambda w: reverse("integration:key_create"), None),
    "webhook": ("admin", lambda w: reverse("integration:webhook_create"), None),
}  # fmt: skip


PAGES: dict[tuple, tuple[str, list[Field]]] = {}


@pytest.fixture(autouse=True)
def _forget_pages():
    PAGES.clear()


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
    ],
)  # fmt: skip
@given(data=st.data())
def test_generated_input_never_breaks_a_form(client, world, endpoint, data):
    user_key, url_of, fixed = ENDPOINTS[endpoint]
    user = world[user_key]
    client.force_login(user)
    # The page is read once per test; Hypothesis runs the body once per example.
    key = (endpoint, user.pk)
    if key not in PAGES:
        url = import_draft_url(client) if url_of == "import" else url_of(world)
        PAGES[key] = (url, fixed if fixed is not None else page_form(client, url))
    url, fields = PAGES[key]
    values = post_data(data.draw, fields)
    before = fingerprint()
    # The forms of a list page are posted by htmx.
    extra = {"HTTP_HX_REQUEST": "true"} if fixed else {}
    response = client.post(url, values, **extra)
    assert response.status_code < 500, (endpoint, values)
    if 400 <= response.status_code < 500:
        assert fingerprint() == before, (endpoint, response.status_code, values)
