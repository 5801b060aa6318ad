"""Turn a reviewed import proposal into records: the directive, its tasks, their
assignments and the links to the documents it cites.

The proposal is the dict of `ParseResult.to_json()` (plus `text`, the cleaned full text),
possibly corrected by a person on the review page. Unit names in it are only text: which
unit holds each task is decided by `unit_choices`, built from the review form or, for the
command line, from the parser's matches. Both the page and `import_directive` call
`proposal_problems` before `directive_import`, so they refuse the same things.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directives.models import (
    AssignmentRole,
    DeadlineKind,
    Directive,
    DirectiveKind,
    Recurrence,
    Task,
)
from directives.services import (
    CitedDocument,
    directive_by_code,
    directive_save,
    directive_set_references,
    implementations_link_pending,
    implemented_code,
    task_assign,
    task_assign_units,
)
from units.models import Unit, UnitKind, User

from .cleaning import fold
from .dates import parse_deadline
from .groups import BY_KEY as GROUP_BY_KEY
from .groups import group_units
from .parser import parse_document
from .references import normalize_code
from .units import UnitRef, match_unit

TITLE_MAX = 500


class PastDue(TextChoices):
    """What to do with a task whose deadline had already passed when it was imported."""

    TRACK = "track", gettext_lazy("Follow it (it shows as overdue)")
    DONE = "done", gettext_lazy("Record as history: done")
    UNTRACKED = "untracked", gettext_lazy("Record as history: not followed")


_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])|\n")


# --------------------------------------------------------------------------- parsing


def unit_refs(units: Iterable[Unit]) -> list[UnitRef]:
    """The parser's view of known units (names, abbreviation, aliases)."""
    return [
        UnitRef(
            id=u.pk,
            name=u.name,
            short_name=u.short_name,
            abbreviation=u.abbreviation,
            aliases=list(u.aliases),
            kind=u.kind,
        )
        for u in units
    ]


def proposal_from_text(text: str, *, units: QuerySet[Unit] | Iterable[Unit]) -> dict:
    """Parse ``text`` matching names against ``units``; the proposal the review page edits.

    The section tree is dropped (the tasks carry their section labels) so the proposal
    stays small enough to keep as a draft between the two steps.
    """
    result = parse_document(text, units=unit_refs(units))
    proposal = result.to_json()
    proposal.pop("sections", None)
    proposal["text"] = result.text
    return proposal


def _iso(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def issuer_candidate(proposal: Mapping, units: QuerySet[Unit]) -> Unit | None:
    """The known unit that issued the document, from the issuer as printed (the first of
    joint issuers that is known when all of them together are not one unit)."""
    refs = unit_refs(units)
    names = [proposal.get("issuer_full"), proposal.get("issuer"), *(proposal.get("issuers") or [])]
    for name in names:
        found = match_unit(name or "", refs)
        if found is not None:
            return units.get(pk=found.id)
    return None


def monitoring_candidate(issuer: Unit | None) -> Unit | None:
    """The Ban Dân vận of the issuer's committee: who usually follows the directive."""
    if issuer is None:
        return None
    committee = issuer.committee()
    boards = Unit.objects.get_children(committee).filter(kind=UnitKind.PARTY_BOARD).active()
    for board in boards:
        if "dan van" in fold(board.name):
            return board
    return None


# ------------------------------------------------------------------------ validation


def proposal_problems(proposal: Mapping, *, issuer: Unit | None) -> list[str]:
    """Why the proposal cannot become a directive, in the user's language; [] when it can.

    1. a text that is not a directive (a news report) is never imported;
    2. the fields a directive needs: type, issue date, subject, issuer;
    3. the issuer may not already have a document with the same number.
    """
    if not proposal.get("is_directive", True):
        reasons = list(proposal.get("warnings") or [])
        return [_("This text cannot be imported as a directive."), *reasons]
    problems = []
    if proposal.get("kind") not in DirectiveKind.values:
        problems.append(_("The document type is missing or unknown."))
    if _iso(proposal.get("issued_on")) is None:
        problems.append(_("The issue date is missing."))
    if not (proposal.get("subject") or "").strip():
        problems.append(_("The subject is missing."))
    if issuer is None:
        problems.append(_("The issuing unit is not known; choose it."))
    code = (proposal.get("code") or "").strip()
    if issuer is not None and code and Directive.objects.filter(issuer=issuer, code=code).exists():
        problems.append(
            _("%(issuer)s already has a document numbered %(code)s; it was not imported again.")
            % {"issuer": issuer, "code": code}
        )
    return problems


# ------------------------------------------------------------------------- the tasks


def task_title(text: str) -> str:
    """The first sentence of a task, at most 500 characters, cut at a word."""
    text = (text or "").strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(first) <= TITLE_MAX:
        return first
    cut = first[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;: ")
    return cut + "…"


def first_occurrence(issued_on: datetime.date, recurrence: str) -> datetime.date:
    """The end of the period ``issued_on`` falls in: the first report of a recurring duty."""
    year, month = issued_on.year, issued_on.month
    end_month = {
        Recurrence.MONTHLY: month,
        Recurrence.QUARTERLY: ((month - 1) // 3 + 1) * 3,
        Recurrence.HALF_YEARLY: 6 if month <= 6 else 12,
        Recurrence.YEARLY: 12,
    }[Recurrence(recurrence)]
    return datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])


def task_schedule(task: Mapping, *, issued_on: datetime.date) -> dict:
    """Deadline fields of a Task from a proposed task.

    A recurring duty recurs (from its date, else from the end of the current period); an
    ongoing one has no date; a date is a period when the label written in the text ("Quý
    III/2023") still gives that date; a task with no deadline at all is followed as
    ongoing, since there is no date it could be late for.
    """
    due = _iso(task.get("deadline"))
    label = (task.get("deadline_label") or "").strip()
    recurrence = task.get("recurrence") or ""
    if recurrence:
        return {
            "deadline_kind": DeadlineKind.RECURRING,
            "due_on": due or first_occurrence(issued_on, recurrence),
            "recurrence": recurrence,
            "period_label": label[:120] if due else "",
        }
    if task.get("ongoing") or due is None:
        return {
            "deadline_kind": DeadlineKind.ONGOING,
            "due_on": None,
            "recurrence": "",
            "period_label": "",
        }
    written = parse_deadline(label, reference_date=issued_on) if label else None
    is_period = written is not None and written.kind == "period" and written.due == due
    return {
        "deadline_kind": DeadlineKind.PERIOD if is_period else DeadlineKind.DATE,
        "due_on": due,
        "recurrence": "",
        "period_label": label[:120] if is_period else "",
    }


def _target_fields(target: Mapping | None) -> dict:
    if not target:
        return {}
    try:
        value = Decimal(str(target.get("value")))
    except (InvalidOperation, TypeError):
        value = None
    if value is not None and abs(value) >= Decimal("1e12"):
        value = None
    return {
        "target_indicator": (target.get("indicator") or "")[:300],
        "target_unit": (target.get("unit") or "")[:40],
        "target_value": value,
    }


# ------------------------------------------------------------------- references, links


def _cited(references: Iterable[Mapping]) -> list[CitedDocument]:
    out = []
    for ref in references:
        code = normalize_code(ref.get("code") or "")[:60]
        if not code:
            continue
        date = _iso(ref.get("date"))
        issuer = (ref.get("issuer") or "")[:255]
        kind = dict(DirectiveKind.choices).get(ref.get("kind") or "", "")
        text = " ".join(
            part
            for part in (
                f"{kind} số {code}" if kind else code,
                f"ngày {date:%d/%m/%Y}" if date else "",
                f"của {issuer}" if issuer else "",
            )
            if part
        )
        out.append(CitedDocument(code=code, date=date, issuer=issuer, text=text))
    return out


# ----------------------------------------------------------------------------- import


def _lead_ids(choice: Mapping) -> list[int]:
    """The lead units of one task: ``lead`` (one id, as the review page sends it) or
    ``leads`` (several, for a collective name such as "Đảng ủy các xã, phường")."""
    leads = [int(pk) for pk in choice.get("leads") or []]
    if choice.get("lead") and int(choice["lead"]) not in leads:
        leads.insert(0, int(choice["lead"]))
    return leads


def _units_by_id(unit_choices: Mapping, allowed: QuerySet[Unit]) -> dict[int, Unit]:
    ids: set[int] = set()
    for choice in unit_choices.values():
        ids.update(_lead_ids(choice))
        ids.update(int(pk) for pk in choice.get("coordinating") or [])
    found = {u.pk: u for u in allowed.filter(pk__in=ids)}
    if ids - found.keys():
        raise ValidationError(_("A chosen unit is not one you may assign tasks to."))
    return found


def _assign_group(task: Task, key: str, *, issuer: Unit, within: QuerySet[Unit]) -> None:
    """Give ``task`` to every unit of group ``key`` under the issuer's committee, by the
    bulk assignment of the directive page; a group with no such unit is refused."""
    chosen = group_units(key, issuer=issuer, within=within)
    if not chosen:
        group = GROUP_BY_KEY.get(key)
        raise ValidationError(
            _("Task %(section)s: no unit of “%(group)s” was found under %(committee)s.")
            % {
                "section": task.section or task.order + 1,
                "group": group.label if group else key,
                "committee": issuer.committee(),
            }
        )
    task_assign_units(task=task, within=within, units=chosen, role=AssignmentRole.LEAD)


def _record_history(task: Task, history: str) -> None:
    """A task whose deadline had passed before it was imported, kept as history: done on
    its date (``done``) or no longer followed (``untracked``), never "overdue"."""
    if history == PastDue.DONE:
        task.assignments.update(completed_on=task.due_on, progress=100)
    elif history == PastDue.UNTRACKED:
        task.assignments.update(cancelled=True)


@transaction.atomic
def directive_import(
    *,
    proposal: Mapping,
    by: User | None,
    issuer: Unit,
    monitoring_unit: Unit | None,
    unit_choices: Mapping[int, Mapping],
) -> Directive:
    """Create the directive a reviewed proposal describes, all in one transaction.

    1. refuse what `proposal_problems` refuses, and unit ids ``by`` may not use;
    2. the Directive (`directive_save` links earlier citations that waited for it);
    3. each task, in order, with its deadline and target, and its lead and coordinating
       assignments (`task_assign`; a group lead goes to every unit of the group under the
       issuer's committee, `task_assign_units`); a task recorded as history is done or
       no longer followed;
    4. its references (linked when the cited document is known) and ``implements`` when
       the subject says it carries out a known document; documents that were waiting to
       be linked as carrying out this one are linked.
    Any failure rolls everything back: no half-imported directive is left behind.
    """
    problems = proposal_problems(proposal, issuer=issuer)
    if problems:
        raise ValidationError(problems)
    allowed = Unit.objects.visible_to(by) if by is not None else Unit.objects.all()
    units = _units_by_id(unit_choices, allowed)
    issued_on = _iso(proposal["issued_on"])
    code = (proposal.get("code") or "").strip()
    number = (proposal.get("number") or "").strip() or (code.split("-", 1)[0] if code else "")
    signer = proposal.get("signer") or {}
    directive = Directive(
        kind=proposal["kind"],
        number=number[:20],
        code=code[:60],
        issuer=issuer,
        issued_on=issued_on,
        place=(proposal.get("place") or "")[:120],
        term=(proposal.get("term") or "")[:20],
        subject=proposal["subject"].strip(),
        full_text=proposal.get("text") or "",
        signer_on_behalf=(signer.get("on_behalf") or "")[:120],
        signer_title=(signer.get("title") or "")[:120],
        signer_name=(signer.get("name") or "")[:120],
        recipients=[r[:300] for r in proposal.get("recipients") or [] if r and r.strip()],
        monitoring_unit=monitoring_unit,
    )
    try:
        # A savepoint, so a duplicate number raced in by someone else is a clean refusal.
        with transaction.atomic():
            directive_save(directive=directive, by=by)
    except IntegrityError as exc:
        raise ValidationError(
            _("%(issuer)s already has a document numbered %(code)s; it was not imported again.")
            % {"issuer": issuer, "code": code}
        ) from exc

    for order, raw in enumerate(proposal.get("tasks") or []):
        text = (raw.get("text") or "").strip()
        if not text:
            continue
        task = Task(
            directive=directive,
            section=(raw.get("section") or "")[:20],
            title=(raw.get("title") or "").strip()[:TITLE_MAX] or task_title(text),
            description=text,
            order=order,
            **task_schedule(raw, issued_on=issued_on),
            **_target_fields(raw.get("target")),
        )
        task.full_clean(exclude=["directive", "parent"])
        task.save()
        choice = unit_choices.get(order) or {}
        lead_ids = _lead_ids(choice)
        if lead_ids:
            task_assign(task=task, units=[units[pk] for pk in lead_ids], role=AssignmentRole.LEAD)
        if choice.get("group"):
            _assign_group(task, choice["group"], issuer=issuer, within=allowed)
            lead_ids += list(task.assignments.values_list("unit_id", flat=True))
        coordinating = [
            units[int(pk)] for pk in choice.get("coordinating") or [] if int(pk) not in lead_ids
        ]
        if coordinating:
            task_assign(task=task, units=coordinating, role=AssignmentRole.COORDINATING)
        _record_history(task, raw.get("history") or "")

    directive_set_references(directive=directive, cited=_cited(proposal.get("references") or []))
    parent_code = implemented_code(directive.subject)
    if parent_code and parent_code != directive.code:
        cited_date = next(
            (
                _iso(r.get("date"))
                for r in proposal.get("references") or []
                if normalize_code(r.get("code") or "") == parent_code
            ),
            None,
        )
        parent = directive_by_code(parent_code, cited_date)
        if parent is not None:
            directive.implements = parent
            directive.save(update_fields=["implements", "updated_at", "search_text"])
    implementations_link_pending(directive=directive, by=by)
    return directive


def unit_choices_from_matches(proposal: Mapping) -> dict[int, dict]:
    """The parser's own matches as `unit_choices` (what the command line imports with)."""
    choices: dict[int, dict] = {}
    for index, task in enumerate(proposal.get("tasks") or []):
        lead = task.get("lead_unit") or {}
        choices[index] = {
            "lead": lead.get("unit_id"),
            "coordinating": [
                c["unit_id"] for c in task.get("coordinating_units") or [] if c.get("unit_id")
            ],
        }
    return choices


def unmatched_names(proposal: Mapping) -> list[str]:
    """Names of bodies in the tasks that match no known unit, each once, in order."""
    seen: dict[str, str] = {}
    for task in proposal.get("tasks") or []:
        for match in [task.get("lead_unit"), *(task.get("coordinating_units") or [])]:
            if match and match.get("unit_id") is None:
                seen.setdefault(fold(match["name"]), match["name"])
    return list(seen.values())
