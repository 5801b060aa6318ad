"""What a roll-up says before it is built, read from the data: who signs it and how, and
its narrative (limitations, causes, proposals, next steps...) gathered from the period's
unit reports and accepted progress reports, attributed to units and de-duplicated. The
roll-up page and ``manage.py build_rollup`` both start from ``rollup_draft``, so they
build the same document."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from directives.models import ProgressReport, ReportStatus
from directives.status import local_today
from reports.models import NARRATIVE_SECTIONS, ReportingPeriod, UnitReport, UnitReportStatus
from reports.periods import period_default
from reports.selectors import latest_term, place_of
from units.models import Unit, UnitKind, User

# What an accepted progress report adds to a roll-up's headings.
PROGRESS_FIELDS = {"limitations": "difficulties", "proposals": "proposals"}
DEFAULT_RECIPIENTS = [
    "Thường trực Tỉnh ủy (để b/c)",
    "Các đồng chí Ủy viên Ban Thường vụ",
    "Lưu VT",
]
_BOARD_NAME = re.compile(
    r"^Ban\s+(.+?)\s+(Tỉnh ủy|Thành ủy|Thị ủy|Huyện ủy|Quận ủy|Đảng ủy)\b", re.I
)


# --- Who signs ---------------------------------------------------------------------------


def issuer_short_name(issuer: Unit) -> str:
    """ "Ban Dân vận" from "Ban Dân vận Thị ủy Đức Phổ", as the body of a report names
    its issuer (capitalised as written); the whole name for any other unit."""
    match = _BOARD_NAME.match(issuer.name)
    return f"Ban {match.group(1)}" if match else issuer.name


def signature_lines(issuer: Unit, *, deputy: bool = False) -> tuple[str, str]:
    """The two lines above the signer's name, as the issuer signs.

    A board (Ban Dân vận, Ban Tuyên giáo và Dân vận...) signs on behalf of itself: "T/M
    BAN DÂN VẬN / TRƯỞNG BAN", or its deputy "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN"; a party
    committee "T/M BAN THƯỜNG VỤ / BÍ THƯ" or "PHÓ BÍ THƯ"; any other body signs on
    behalf of itself, its title left for the person to write."""
    if issuer.kind == UnitKind.PARTY_BOARD and _BOARD_NAME.match(issuer.name):
        if deputy:
            return "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"
        return f"T/M {issuer_short_name(issuer).upper()}", "TRƯỞNG BAN"
    if issuer.kind == UnitKind.PARTY_COMMITTEE:
        return "T/M BAN THƯỜNG VỤ", ("PHÓ BÍ THƯ" if deputy else "BÍ THƯ")
    return f"T/M {issuer.name.upper()}", ""


def issuer_for(*, committee: Unit, by: User | None) -> Unit:
    """A person's own unit (their Ban Dân vận) when it is in the committee, else the
    committee. Without a person (a script), the committee's Ban Dân vận (or Ban Tuyên giáo
    và Dân vận) when it has one, as its monitors' roll-ups are issued."""
    if by is not None:
        if by.unit and by.unit.path.startswith(committee.path):
            return by.unit
        return committee
    board = (
        Unit.objects.filter(
            path__startswith=committee.path,
            depth=committee.depth + 1,
            kind=UnitKind.PARTY_BOARD,
            name__icontains="dân vận",
            valid_to__isnull=True,
        )
        .order_by("path")
        .first()
    )
    return board or committee


# --- The narrative -----------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.lower().strip(" .;-–\n\t").split())


def _add(gathered: dict, key: str, unit: str, text: str) -> None:
    """One unit's text under a heading; the same text from several units is one item
    naming them all."""
    for paragraph in (p.strip(" -–\t") for p in text.splitlines()):
        if not paragraph:
            continue
        norm = _norm(paragraph)
        for item in gathered[key]:
            if item["norm"] == norm:
                if unit not in item["units"]:
                    item["units"].append(unit)
                break
        else:
            gathered[key].append({"norm": norm, "units": [unit], "text": paragraph})


def narratives_gather(*, committee: Unit, period: ReportingPeriod) -> dict:
    """What units in ``committee``'s subtree said about ``period``, by heading:
    their submitted unit reports and their progress reports accepted in the period
    (difficulties under limitations, proposals under proposals). Each paragraph once,
    with every unit that wrote it: {"limitations": [{"unit": "A, B", "units": [...],
    "text": ...}], ...}."""
    gathered: dict = {key: [] for key, _label in NARRATIVE_SECTIONS}
    reports = (
        UnitReport.objects.filter(
            status=UnitReportStatus.SUBMITTED,
            request__period=period,
            unit__path__startswith=committee.path,
        )
        .select_related("unit")
        .order_by("unit__path", "pk")
    )
    for report in reports:
        for key, _label in NARRATIVE_SECTIONS:
            _add(gathered, key, report.unit.name, getattr(report, key))
    progress = (
        ProgressReport.objects.filter(
            status=ReportStatus.ACCEPTED,
            reported_on__gte=period.start_on,
            reported_on__lte=period.end_on,
            assignment__unit__path__startswith=committee.path,
        )
        .values_list("assignment__unit__name", *PROGRESS_FIELDS.values())
        .order_by("assignment__unit__path", "reported_on", "pk")
    )
    for unit, *texts in progress:
        for key, text in zip(PROGRESS_FIELDS, texts, strict=True):
            _add(gathered, key, unit, text)
    return {
        key: [
            {"unit": ", ".join(item["units"]), "units": item["units"], "text": item["text"]}
            for item in items
        ]
        for key, items in gathered.items()
    }


def narrative_text(items: list[dict]) -> str:
    """A heading's items as the monitor edits them: one "- Units: text" line each."""
    return "\n".join(f"- {item['unit']}: {item['text']}" for item in items)


# --- The whole draft ---------------------------------------------------------------------


@dataclass
class RollupDraft:
    """Everything the roll-up form starts from."""

    committee: Unit
    issuer: Unit
    period: ReportingPeriod | None
    term: str
    place: str
    issued_on: datetime.date
    signer_on_behalf: str
    signer_title: str
    recipients: list[str]
    texts: dict[str, str] = field(default_factory=dict)


def rollup_draft(
    *,
    committee: Unit,
    by: User | None,
    period: ReportingPeriod | None = None,
    deputy: bool = False,
    today: datetime.date | None = None,
) -> RollupDraft:
    """The roll-up a person would build for ``committee`` with the form's defaults: the
    latest period that has ended, their unit as issuer, the issuer's signature and the
    narrative gathered for the period."""
    today = today or local_today()
    period = period or period_default(today)
    issuer = issuer_for(committee=committee, by=by)
    on_behalf, title = signature_lines(issuer, deputy=deputy)
    texts = {}
    if period is not None:
        gathered = narratives_gather(committee=committee, period=period)
        texts = {key: narrative_text(gathered[key]) for key, _label in NARRATIVE_SECTIONS}
    return RollupDraft(
        committee=committee,
        issuer=issuer,
        period=period,
        term=latest_term(committee),
        place=place_of(committee),
        issued_on=today,
        signer_on_behalf=on_behalf,
        signer_title=title,
        recipients=list(DEFAULT_RECIPIENTS),
        texts=texts,
    )
