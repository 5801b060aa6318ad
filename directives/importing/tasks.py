"""The body of a document: which numbered items are tasks, and for each its lead and
coordinating units, deadline, recurrence, reporting duty and target."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .cleaning import fold
from .dates import Deadline, find_deadlines, find_recurrence, is_ongoing
from .references import CODE_RE, DOC_WORDS
from .result import ParseResult, Reporting, Target, TaskCandidate
from .structure import Node, build_tree
from .targets import find_targets
from .units import UnitMatch, UnitRef, resolve_unit, split_unit_list, starts_with_head
from .wording import is_upper_line, split_sentences, unit_span

_TASK_HEAD = re.compile(
    r"nhiệm vụ|giải pháp|tổ chức thực hiện|phân công|trách nhiệm thực hiện", re.IGNORECASE
)
_RESULT_HEAD = re.compile(
    r"^(kết quả|tình hình|hạn chế|nguyên nhân|đánh giá|bài học|ưu điểm|khuyết điểm|"
    r"những kết quả|một số kết quả|một số hạn chế|thực trạng)",
    re.IGNORECASE,
)
_GOAL_HEAD = re.compile(
    r"^(mục tiêu|quan điểm|mục đích|yêu cầu$|mục đích, yêu cầu|chỉ tiêu)", re.IGNORECASE
)
_PROPOSAL_HEAD = re.compile(
    r"^(?:một số |các |những )?(?:đề xuất|kiến nghị)"
    r"|(?:đề xuất|kiến nghị|đề nghị) (?:với|lên)",
    re.IGNORECASE,
)
_NOT_UNIT_HEADING = re.compile(
    r"nhiệm vụ|giải pháp|mục tiêu|kết quả|hạn chế|nguyên nhân|tổ chức thực hiện|yêu cầu|"
    r"quan điểm|nội dung|đề xuất|kiến nghị",
    re.IGNORECASE,
)
_INTRO_TRIGGER = re.compile(
    r"yêu cầu|đề nghị|giao|nhiệm vụ|giải pháp|nội dung sau|như sau", re.IGNORECASE
)
_STRONG_INTRO = re.compile(
    r"yêu cầu|đề nghị|\bgiao\b|(?:nội dung|nhiệm vụ|giải pháp)[^:]{0,40}sau", re.IGNORECASE
)
_TASK_TRIGGER = re.compile(r"(?:^|[\s,;(])(giao(?:\s+cho)?|yêu cầu|đề nghị)\s+", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(Trên đây|(?:" + DOC_WORDS + r") này\b|Văn bản này|Nhận được (?:Công văn|văn bản) này)",
    re.IGNORECASE,
)
_LEADING_TIME = re.compile(
    r"^(?:(?:đến|trong|từ nay đến|phấn đấu đến|cuối)\s+(?:năm\s+\d{4}|giai đoạn[^,]{0,20})"
    r"|riêng|đồng thời)\s*,?\s*",
    re.IGNORECASE,
)


@dataclass
class _Context:
    """What an item inherits from the headings and introductions above it."""

    lead: list[str] = field(default_factory=list)
    deadline: Deadline | None = None


_INTRO_CLAUSE = re.compile(
    r"^(?:Căn cứ|Thực hiện|Triển khai|Theo đó|Để|Trên cơ sở|Đồng thời|Qua đó|Vì vậy|Do đó)"
    r"\b[^,]{0,200},\s+",
    re.IGNORECASE,
)
_ISSUING_ACT = re.compile(
    r"^\s*(?:ban hành|xây dựng|thống nhất ban hành)\s+(?:" + DOC_WORDS + r")\b"
)


def _sentence_lead(sentence: str, issuer: str | None) -> str | None:
    """The body a sentence gives work to: after "yêu cầu", "đề nghị", "giao"; else the
    subject of the sentence or of its main clause after an introduction ("Căn cứ Kế hoạch
    số …, Ban … xây dựng …"). Never a span holding a number (a document, a date), nor the
    issuer issuing the document itself ("…, Ủy ban nhân dân tỉnh ban hành Kế hoạch")."""
    for m in _TASK_TRIGGER.finditer(sentence):
        span = unit_span(sentence[m.end() :], max_words=45)
        if span:
            return span if not re.search(r"\d", span) else None
    starts = [sentence]
    intro = _INTRO_CLAUSE.match(sentence)
    if intro:
        starts.append(sentence[intro.end() :])
    for text in starts:
        text = _LEADING_TIME.sub("", text)
        span = unit_span(text)
        if not span or re.search(r"\d", span):
            continue
        if _ISSUING_ACT.match(text[len(span) :]):
            return None
        if issuer and fold(issuer).startswith(fold(span)):
            return None
        return span
    return None


class TaskReader:
    """Walks the numbered tree of the body and appends `TaskCandidate`s to the result."""

    def __init__(self, result: ParseResult, units: list[UnitRef] | None) -> None:
        self.result = result
        self.units = units

    def read(self, body: list[str]) -> None:
        """Tasks, sections, footnotes and targets of the body paragraphs `body`."""
        res = self.result
        closing_at = next((i for i, p in enumerate(body) if _CLOSING.match(p)), len(body))
        main, closing = body[:closing_at], body[closing_at:]
        root, footnotes = build_tree(main)
        res.footnotes = footnotes
        res.sections = root.children
        self._walk(root, _Context(), in_tasks=False)
        if not any(t.lead for t in res.tasks):
            # Nothing in the numbered tree names an acting body under a task heading (a
            # decision's articles, a letter or a news page in paragraphs): the tasks are
            # the sentences that give work to a body, when there are any.
            announced, res.tasks = res.tasks, []
            self._sentence_tasks([item for item in root.items if isinstance(item, str)])
            res.tasks = res.tasks or announced
        if not res.tasks:
            # No heading or sentence announced the tasks (a short plan or letter that is
            # only numbered items): every item except results, goals and proposals is a
            # candidate, for the reviewer to keep or remove.
            self._walk(root, _Context(), in_tasks=True)
        for para in closing:
            for sentence in split_sentences(para):
                self._closing_task(sentence)
        self._collect_targets(root)

    def _sentence_tasks(self, paragraphs: list[str]) -> None:
        for para in paragraphs:
            para = re.sub(r"^(?:Điều\s+\d+\s*[.:]|[-–+•])\s*", "", para.strip())
            for sentence in split_sentences(para):
                span = _sentence_lead(sentence, self.result.issuer)
                if span:
                    self._add_task(None, sentence, _Context(lead=split_unit_list(span)))
                    self.result.tasks[-1].lead_text = span

    def _node_text_is_heading(self, node: Node) -> bool:
        title = node.title.rstrip()
        return not title.endswith((".", ";", "!", "?", "…", ":")) and bool(node.items)

    def _unit_heading(self, title: str) -> list[str] | None:
        text = re.sub(r"^đối với\s+", "", title.strip(), flags=re.IGNORECASE).rstrip(" :.")
        if not starts_with_head(text) or _NOT_UNIT_HEADING.search(text):
            return None
        if len(text.split()) > 25:
            return None
        return split_unit_list(text)

    def _inline_unit(self, title: str) -> tuple[list[str], str] | None:
        m = re.match(r"^([^:]{3,150}):\s+(\S.*)$", title)
        if not m:
            return None
        units = self._unit_heading(m.group(1))
        if not units:
            return None
        return units, m.group(2).strip()

    def _section_is_task(self, node: Node, inherited: bool) -> bool:
        title = node.title
        if _RESULT_HEAD.match(title):
            return False
        if _GOAL_HEAD.match(title) and not _TASK_HEAD.search(title):
            return False
        if (
            _PROPOSAL_HEAD.search(title)
            and not _TASK_HEAD.search(title)
            and self._node_text_is_heading(node)
        ):
            return False
        if _TASK_HEAD.search(title) and self._node_text_is_heading(node):
            return True
        return inherited

    def _heading_deadline(self, text: str) -> Deadline | None:
        found = [d for d in find_deadlines(text) if d.due]
        return max(found, key=lambda d: d.due) if found else None

    def _intro(self, para: str, ctx: _Context, *, with_deadline: bool = True) -> _Context:
        """Context from "... yêu cầu X cần thực hiện tốt các nhiệm vụ sau:"."""
        new = _Context(lead=list(ctx.lead), deadline=ctx.deadline)
        for m in _TASK_TRIGGER.finditer(para):
            span = unit_span(para[m.end() :])
            if span:
                new.lead = split_unit_list(span)
                break
        dl = self._heading_deadline(para) if with_deadline else None
        if dl:
            new.deadline = dl
        return new

    def _walk(self, node: Node, ctx: _Context, *, in_tasks: bool) -> None:
        """Visit the items of `node`; `in_tasks` says whether they are task candidates."""
        children_seen = False
        for item in node.items:
            if isinstance(item, str):
                if item.rstrip().endswith(":") and _INTRO_TRIGGER.search(item):
                    strong = _STRONG_INTRO.search(item)
                    if in_tasks or strong:
                        ctx = self._intro(item, ctx, with_deadline=in_tasks)
                        if not in_tasks and node.kind == "root":
                            in_tasks = True
                    continue
                if is_upper_line(item):
                    continue  # the rest of a heading wrapped onto a second line
                if in_tasks and node.kind not in ("root",) and not node.is_bullet:
                    # A paragraph directly in a task section is a task of its own, or the
                    # continuation of the previous one.
                    self._paragraph_task(node, item, ctx, children_seen)
                continue
            children_seen = True
            self._visit(item, ctx, in_tasks=in_tasks)

    def _visit(self, node: Node, ctx: _Context, *, in_tasks: bool) -> None:
        task_part = self._section_is_task(node, in_tasks) if not node.is_bullet else in_tasks
        if not task_part:
            # A nested heading can still open a task part ("3. Nhiệm vụ thời gian tới").
            self._walk_plain(node, ctx)
            return
        inline = self._inline_unit(node.title)
        is_heading = self._node_text_is_heading(node)
        sub = _Context(lead=list(ctx.lead), deadline=ctx.deadline)
        if inline:
            units, text = inline
            sub.lead = units
            self._add_task(node, text, sub)
            self._walk(node, sub, in_tasks=True)
            return
        colon_units = (
            self._unit_heading(node.title)
            if node.title.rstrip().endswith(":") and node.children
            else None
        )
        if is_heading or colon_units:
            units = self._unit_heading(node.title)
            if units:
                sub.lead = units
            dl = self._heading_deadline(node.title)
            if dl:
                sub.deadline = dl
            self._walk(node, sub, in_tasks=True)
            return
        if node.title.rstrip().endswith(":") and node.children:
            # A grouping item ("- Phấn đấu ... đạt một số chỉ tiêu sau:").
            dl = self._task_deadline(node.title)
            if dl:
                sub.deadline = dl
            span = unit_span(_LEADING_TIME.sub("", node.title))
            if span:
                sub.lead = split_unit_list(span)
            self._walk(node, sub, in_tasks=True)
            return
        task = self._add_task(node, node.title, sub)
        own = _Context(
            lead=[task.lead.name] + [c.name for c in task.coordinating]
            if task and task.lead
            else list(sub.lead),
            deadline=sub.deadline,
        )
        self._walk(node, own if node.children else sub, in_tasks=True)

    def _walk_plain(self, node: Node, ctx: _Context) -> None:
        # A nested heading can still open a task part ("3. Nhiệm vụ thời gian tới").
        for child in node.children:
            self._visit(child, ctx, in_tasks=False)

    # tasks ------------------------------------------------------------------------
    def _paragraph_task(self, node: Node, para: str, ctx: _Context, after_children: bool) -> None:
        last = self._last_task_for(node)
        starts_new = self._starts_new_task(para)
        if last is not None and not starts_new and not after_children:
            last.text = last.text + "\n" + para
            self._refresh(last, ctx)
            return
        sub = ctx
        if node.kind != "root" and not node.is_bullet:
            units = self._unit_heading(node.title) if self._node_text_is_heading(node) else None
            if units:
                sub = _Context(lead=units, deadline=ctx.deadline)
        self._add_task(node, para, sub)

    def _last_task_for(self, node: Node) -> TaskCandidate | None:
        path = node.path()
        if (
            self.result.tasks
            and self.result.tasks[-1].section == path
            and getattr(self.result.tasks[-1], "_node", None) is node
        ):
            return self.result.tasks[-1]
        return None

    def _starts_new_task(self, para: str) -> bool:
        head = _LEADING_TIME.sub("", para.strip())
        if re.match(r"^(giao|đề nghị|yêu cầu)\s+", head, re.IGNORECASE):
            return (
                unit_span(
                    re.sub(r"^(giao(?:\s+cho)?|đề nghị|yêu cầu)\s+", "", head, flags=re.IGNORECASE)
                )
                is not None
            )
        return unit_span(head) is not None

    def _own_units(self, text: str) -> tuple[list[str], list[str], str | None]:
        """Lead candidates, coordinating bodies and the lead as printed, named by the task
        text itself."""
        lead: list[str] = []
        head = _LEADING_TIME.sub("", text.strip())
        span = unit_span(head)
        if span:
            lead = split_unit_list(span)
        else:
            for m in _TASK_TRIGGER.finditer(text):
                span = unit_span(text[m.end() :])
                if span:
                    lead = split_unit_list(span)
                    break
        coordinating: list[str] = []
        for m in re.finditer(
            r"(?:chủ trì\s*,?\s*|^|(?<=[.;]\s))phối hợp với\s+", text, re.IGNORECASE
        ):
            span = unit_span(text[m.end() :])
            if span:
                coordinating.extend(split_unit_list(span))
        return lead, coordinating, span if lead else None

    def _task_deadline(self, text: str) -> Deadline | None:
        candidates: list[Deadline] = []
        for d in find_deadlines(text):
            if self._descriptive(text, d):
                continue
            candidates.append(d)
        dated = [d for d in candidates if d.kind == "date"]
        if dated:
            return dated[0]
        if candidates:
            return max(candidates, key=lambda d: d.due or date.min)
        return None

    @staticmethod
    def _descriptive(text: str, d: Deadline) -> bool:
        """A period that names a cited document or programme, not a deadline."""
        before = text[: d.start]
        if d.kind == "date" and re.match(r"(?:trước|chậm nhất)\b", d.label or "", re.IGNORECASE):
            return False
        if re.search(
            r"(hoàn thành|xong|chậm nhất|hạn chót|trước)\s*(trong|vào|là)?\s*$",
            before,
            re.IGNORECASE,
        ):
            return False
        if before.count("(") > before.count(")"):
            return True
        clause = re.split(r"[;:]|\.\s", before)[-1]
        return bool(
            CODE_RE.search(clause)
            or re.search(
                r"(?<![\wÀ-ỹ])(?:" + DOC_WORDS + r"|Dự án|Cuộc thi|Cuộc vận động)\b", clause
            )
        )

    def _reporting(self, text: str) -> Reporting | None:
        for clause in re.split(r";|(?<=[.!?])\s+", text):
            m = re.search(r"(?:định kỳ|hằng|hàng|mỗi)\b[^;]*?báo cáo", clause, re.IGNORECASE)
            if not m:
                continue
            start = m.start()
            rep_text = clause[start:].strip().rstrip(".")
            after = clause[clause.lower().rfind("báo cáo") + len("báo cáo") :]
            after = re.sub(
                r"^\s*(?:kết quả(?: thực hiện)?\s*)?(?:cho|về|lên|gửi)?\s*",
                "",
                after,
                flags=re.IGNORECASE,
            )
            via_m = re.search(
                r"\(\s*(?:thông\s+)?qua\s+([^)]+)\)|thông qua\s+([^,;.]+)", clause, re.IGNORECASE
            )
            via = (via_m.group(1) or via_m.group(2)).strip() if via_m else None
            after = re.sub(r"\s*\(.*$", "", after)
            to_span = unit_span(after, require_stop=False) if after.strip() else None
            to = split_unit_list(to_span) if to_span else []
            return Reporting(text=rep_text, recurrence=find_recurrence(clause), to=to, via=via)
        return None

    def _first_target(self, text: str) -> Target | None:
        found = find_targets(text)
        return found[0] if found else None

    def _resolve(self, name: str) -> UnitMatch:
        return resolve_unit(name, self.units, context_unit_name=self.result.issuer_full)

    def _add_task(self, node: Node | None, text: str, ctx: _Context) -> TaskCandidate:
        section = node.path() if node is not None else None
        task = TaskCandidate(
            section=section,
            text=text.strip(),
            lead=None,
            coordinating=[],
            deadline=None,
            recurrence=None,
            ongoing=False,
        )
        task._node = node  # type: ignore[attr-defined]
        self._refresh(task, ctx)
        self.result.tasks.append(task)
        return task

    def _refresh(self, task: TaskCandidate, ctx: _Context) -> None:
        own_lead, own_coord, phrase = self._own_units(task.text)
        task.lead_text = phrase if own_lead else (", ".join(ctx.lead) if ctx.lead else None)
        task.coordinating_text = list(own_coord)
        if own_lead:
            names = own_lead + [c for c in own_coord if c not in own_lead]
        elif ctx.lead:
            names = list(ctx.lead) + [c for c in own_coord if c not in ctx.lead]
        else:
            names = own_coord[:0]
            if own_coord:
                names = [None] + own_coord  # type: ignore[list-item]
        lead = names[0] if names else None
        task.lead = self._resolve(lead) if lead else None
        task.coordinating = [self._resolve(n) for n in names[1:] if n]
        task.deadline = self._task_deadline(task.text) or ctx.deadline
        task.recurrence = find_recurrence(task.text)
        task.ongoing = is_ongoing(task.text)
        task.reporting = self._reporting(task.text)
        task.target = self._first_target(task.text)

    def _closing_task(self, sentence: str) -> None:
        for m in _TASK_TRIGGER.finditer(sentence):
            span = unit_span(sentence[m.end() :])
            if span:
                self._add_task(None, sentence, _Context())
                return

    # 5. targets and warnings ------------------------------------------------------
    def _collect_targets(self, root: Node) -> None:
        texts: list[str] = []

        def visit(node: Node, skip: bool) -> None:
            for item in node.items:
                if isinstance(item, str):
                    if not skip:
                        texts.append(item)
                    continue
                child_skip = skip or (not item.is_bullet and bool(_RESULT_HEAD.match(item.title)))
                if not child_skip:
                    texts.append(item.title)
                visit(item, child_skip)

        visit(root, False)
        seen: set[str] = set()
        for text in texts:
            for target in find_targets(text):
                if target.text not in seen:
                    seen.add(target.text)
                    self.result.targets.append(target.text)
