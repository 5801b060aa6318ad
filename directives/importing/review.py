"""The review page's side of an import: the proposal as the person left it, past
deadlines found at import, and the confirmation that writes it all."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from directives.models import Directive
from units.models import Unit, User

from .apply import PastDue, directive_import


def deadline_passed(row: Mapping, *, today: datetime.date) -> bool:
    """True for a task row with a single deadline already past when it is imported and a
    unit to hold it: without a decision it would be overdue the moment it is created."""
    due = row.get("deadline")
    if not due or row.get("recurrence") or row.get("ongoing") or row.get("unassigned"):
        return False
    if not (row.get("lead") or row.get("lead_group")):
        return False
    return due < today


def past_due_history(row: Mapping, *, default: str, today: datetime.date) -> str | None:
    """What to record for a row: "done"/"untracked" (history), "" (follow it as usual), or
    None when its deadline has passed and nobody decided (the row's or the page's choice)."""
    if not deadline_passed(row, today=today):
        return ""
    choice = row.get("past_due") or default
    if not choice:
        return None
    return "" if choice == PastDue.TRACK else choice


def proposal_reviewed(
    proposal: Mapping, *, header: Mapping, rows: Iterable[Mapping]
) -> tuple[dict, dict[int, dict]]:
    """The proposal as the review page left it, and its ``unit_choices``.

    ``header`` is the reviewed header (type, number, date, subject, signer, recipients as
    lines); ``rows`` the kept task rows, each naming by ``index`` the proposed task it
    started from. A period as written ("Quý III/2023") stays only while the row's date is
    still the one the text gave; a task's target comes from the text. A row may name a
    group lead (``lead_group``), be left unassigned (``unassigned``) or, its deadline
    having passed, be recorded as history (``history``, a `PastDue` value).
    """
    tasks: list[dict] = []
    unit_choices: dict[int, dict] = {}
    originals = proposal.get("tasks") or []
    for row in rows:
        index = row["index"]
        original = originals[index] if index < len(originals) else {}
        written_due = original.get("deadline")
        deadline = row.get("deadline")
        label = original.get("deadline_label") if deadline and str(deadline) == written_due else ""
        choice = {
            "lead": None if row.get("unassigned") else row.get("lead"),
            "coordinating": [pk for pk in row.get("coordinating") or [] if pk != row.get("lead")],
        }
        if row.get("lead_group") and not row.get("unassigned"):
            choice["group"] = row["lead_group"]
        unit_choices[len(tasks)] = choice
        tasks.append(
            {
                "section": row.get("section") or "",
                "text": row["text"],
                "deadline": deadline.isoformat() if deadline else None,
                "deadline_label": label or "",
                "recurrence": row.get("recurrence") or None,
                "ongoing": bool(row.get("ongoing")),
                "target": original.get("target"),
                "history": row.get("history") or "",
            }
        )
    reviewed = {
        **proposal,
        "kind": header["kind"],
        "code": header["code"].strip(),
        "number": "",
        "issued_on": header["issued_on"].isoformat(),
        "place": header["place"],
        "term": header["term"],
        "subject": header["subject"],
        "signer": {
            "on_behalf": header["signer_on_behalf"],
            "title": header["signer_title"],
            "name": header["signer_name"],
        },
        "recipients": [r.strip() for r in header["recipients"].splitlines() if r.strip()],
        "tasks": tasks,
    }
    return reviewed, unit_choices


def directive_import_reviewed(
    *, proposal: Mapping, header: Mapping, rows: Iterable[Mapping], by: User
) -> Directive:
    """Import what the review page confirmed: `proposal_reviewed`, then `directive_import`
    with the issuer and monitoring unit chosen in ``header`` (ids)."""
    reviewed, unit_choices = proposal_reviewed(proposal, header=header, rows=rows)
    chosen = [header["issuer"], header["monitoring_unit"]]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=chosen)}
    return directive_import(
        proposal=reviewed,
        by=by,
        issuer=units[header["issuer"]],
        monitoring_unit=units.get(header["monitoring_unit"]),
        unit_choices=unit_choices,
    )
