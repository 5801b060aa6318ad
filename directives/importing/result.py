"""What the parser proposes: `ParseResult` and the records it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .dates import Deadline
from .references import Reference
from .structure import Node
from .units import UnitMatch


@dataclass
class Target:
    """A quantitative target: "80% xã đạt chuẩn nông thôn mới"."""

    text: str
    indicator: str
    value: float | int
    unit: str
    comparator: str

    def to_json(self) -> dict:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
        }


@dataclass
class Reporting:
    """A reporting duty attached to a task ("định kỳ báo cáo ... (qua Ban Dân vận)")."""

    text: str
    recurrence: str | None
    to: list[str]
    via: str | None

    def to_json(self) -> dict:
        return {"text": self.text, "recurrence": self.recurrence, "to": self.to, "via": self.via}


@dataclass
class TaskCandidate:
    section: str | None
    text: str
    lead: UnitMatch | None
    coordinating: list[UnitMatch]
    deadline: Deadline | None
    recurrence: str | None
    ongoing: bool
    reporting: Reporting | None = None
    target: Target | None = None
    lead_text: str | None = None
    coordinating_text: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        lead_name = None
        if self.lead is not None:
            lead_name = self.lead.matched_name or self.lead.name
        return {
            "section": self.section,
            "text": self.text,
            "lead": lead_name,
            "coordinating": [c.matched_name or c.name for c in self.coordinating],
            "deadline": self.deadline.due.isoformat()
            if self.deadline and self.deadline.due
            else None,
            "recurrence": self.recurrence,
            "ongoing": self.ongoing,
            "reporting": self.reporting.to_json() if self.reporting else None,
            "target": self.target.to_json() if self.target else None,
            "deadline_label": self.deadline.label if self.deadline else None,
            "lead_unit": self.lead.to_json() if self.lead else None,
            "lead_text": self.lead_text,
            "coordinating_text": list(self.coordinating_text),
            "coordinating_units": [c.to_json() for c in self.coordinating],
        }


@dataclass
class Recipient:
    name: str
    note: str | None = None


@dataclass
class Signer:
    on_behalf: str | None = None
    title: str | None = None
    name: str | None = None

    def to_json(self) -> dict:
        return {"on_behalf": self.on_behalf, "title": self.title, "name": self.name}


@dataclass
class ParseResult:
    """Everything the parser proposes; `to_json()` is the shape the import form reads."""

    kind: str | None = None
    code: str | None = None
    number: str | None = None
    issuer: str | None = None
    issuers: list[str] = field(default_factory=list)
    issuer_full: str | None = None
    place: str | None = None
    issued_on: date | None = None
    subject: str | None = None
    term: str | None = None
    references: list[Reference] = field(default_factory=list)
    cited_titles: list[dict] = field(default_factory=list)
    sections: list[Node] = field(default_factory=list)
    tasks: list[TaskCandidate] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    is_directive: bool = True
    document_type_guess: str = "directive"
    warnings: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    text: str = ""

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "number": self.number,
            "issuer": self.issuer,
            "issuers": list(self.issuers),
            "issuer_full": self.issuer_full,
            "place": self.place,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "subject": self.subject,
            "term": self.term,
            "references": [
                {"code": r.code, "date": r.date, "issuer": r.issuer, "kind": r.kind, "term": r.term}
                for r in self.references
            ],
            "cited_titles": [dict(c) for c in self.cited_titles],
            "sections": [s.to_json() for s in self.sections],
            "tasks": [t.to_json() for t in self.tasks],
            "targets": list(self.targets),
            "recipients": [r.name for r in self.recipients],
            "recipient_notes": [{"name": r.name, "note": r.note} for r in self.recipients],
            "signer": self.signer.to_json(),
            "is_directive": self.is_directive,
            "document_type_guess": self.document_type_guess,
            "warnings": list(self.warnings),
            "footnotes": list(self.footnotes),
        }
