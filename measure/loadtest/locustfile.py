"""What the load test's users do, on the accounts `generate_load` creates.

- staff (province bodies' and communes' staff) open "Việc của tôi" and its open work, and
  submit progress with a small PDF attached;
- monitors open their review queue and accept or return what waits there;
- leaders open the dashboard (national or their province) and export it as .xlsx.

Every report a staff user saw accepted (302 after the POST) is written, with the marker
its text carries, to the ledger file named by LOADTEST_LEDGER, so that the run can check
afterwards that each of them is in the database.
"""

from __future__ import annotations

import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, task

from measure.loadtest import marker

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "load12345")
PROVINCES = int(os.environ.get("LOADTEST_PROVINCES", "34"))
RUN = os.environ.get("LOADTEST_RUN", "manual")
LEDGER = os.environ.get("LOADTEST_LEDGER", "")
# Seconds a person waits between two actions (shorter in the test that checks the flows).
THINK = [float(s) for s in os.environ.get("LOADTEST_THINK", "2,6").split(",")]
MARKER = marker(RUN)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPORT_LINK = re.compile(r'href="/work/assignments/(\d+)/report/"')
REVIEW_FORM = re.compile(r'action="/work/review/reports/(\d+)/"')
# A valid one-page PDF, as a scanned minute would be (small: the point is the upload path).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
_ledger_lock = threading.Lock()


def _record(marker: str) -> None:
    if not LEDGER:
        return
    with _ledger_lock, open(LEDGER, "a", encoding="utf-8") as ledger:
        ledger.write(marker + "\n")


class Person(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    accounts: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.username = random.choice(self.accounts).format(p=random.randrange(PROVINCES))
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username}: đăng nhập không được ({response.status_code})")


class Staff(Person):
    """Reports progress on the open work of their unit."""

    weight = 3
    accounts = ("load.p{p}.staff", "load.p{p}.commune")

    def on_start(self) -> None:
        super().on_start()
        self.open_work: list[str] = []
        self.my_work()
        self.report()

    @task(3)
    def my_work(self) -> None:
        page = self.client.get("/work/", name="Việc của tôi")
        self.open_work = REPORT_LINK.findall(page.text) or self.open_work

    @task(1)
    def report(self) -> None:
        if not self.open_work:
            return
        pk = random.choice(self.open_work)
        form = self.client.get(f"/work/assignments/{pk}/report/", name="progress form")
        token = CSRF.search(form.text)
        if not form.ok or not token:
            return  # the form did not load (counted as that request's failure): nothing to send
        marker = f"{MARKER} {uuid.uuid4().hex}"
        with self.client.post(
            f"/work/assignments/{pk}/report/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "percent": random.randrange(10, 95),
                "results": f"Đã tổ chức hội nghị quán triệt, tuyên truyền đến cơ sở. {marker}",
                "difficulties": "Kinh phí còn hạn chế.",
                "proposals": "Đề nghị cấp trên hỗ trợ tài liệu tuyên truyền.",
            },
            files={"attachments": ("bien-ban.pdf", PDF, "application/pdf")},
            allow_redirects=False,
            name="submit progress (PDF attached)",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _record(marker)
            else:
                response.failure(f"báo cáo không được nhận ({response.status_code})")


class Monitor(Person):
    """Works through the review queue of their province's Ban Dân vận."""

    weight = 1
    accounts = ("load.p{p}.monitor",)

    @task(2)
    def queue(self) -> None:
        page = self.client.get("/work/review/", name="review queue")
        waiting = REVIEW_FORM.findall(page.text)
        token = CSRF.search(page.text)
        if not waiting or not token:
            return
        pk = random.choice(waiting)
        accept = random.random() < 0.8
        with self.client.post(
            f"/work/review/reports/{pk}/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "decision": "accept" if accept else "return",
                "comment": "" if accept else "Đề nghị bổ sung số liệu cụ thể.",
            },
            allow_redirects=False,
            name="review decision",
            catch_response=True,
        ) as response:
            # 302 after the decision; 404 when another monitor decided it a moment ago.
            if response.status_code in (302, 404):
                response.success()
            else:
                response.failure(f"quyết định không được nhận ({response.status_code})")


class Leader(Person):
    """Reads the dashboard of their scope and takes it away as .xlsx."""

    weight = 1
    accounts = ("load.p{p}.viewer", "load.p{p}.viewer", "load.national")

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/reports/", name="dashboard")

    @task(1)
    def export(self) -> None:
        self.client.get("/reports/export.xlsx", name="dashboard .xlsx")
