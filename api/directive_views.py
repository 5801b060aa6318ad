"""The API's writes on directives: a new directive with its tasks, one read from its
text (the import parser's proposal kept as the user's draft, then confirmed), tasks, and
assignments of a task to units, one or many.

Every object comes through the same lookups as the directive pages (404 outside the
user's scope, 403 when the user may see it but not change it), every input through the
pages' forms and every write through directives.services, so the API keeps the pages'
rules and their history."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.bridge import check, form_data, form_errors, found, require
from api.errors import error_response
from api.serializers import DirectiveDetailSerializer
from api.views import DirectiveList, ETagMixin
from api.work_serializers import (
    AssignmentCreateSerializer,
    BulkAssignResultSerializer,
    BulkAssignSerializer,
    DirectiveCreateSerializer,
    ImportConfirmSerializer,
    ImportDraftSerializer,
    ImportTextSerializer,
    TaskAssignmentSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)
from directives import selectors, services
from directives.forms import DirectiveForm, TaskAssignForm, TaskForm, TaskFormSet
from directives.importing.apply import proposal_from_text
from directives.importing.drafts import draft_create, draft_delete, draft_get
from directives.importing.duplicates import existing_copies
from directives.importing.forms import (
    ImportHeaderForm,
    ImportSourceForm,
    ImportTaskForm,
    header_initial,
    task_initial,
)
from directives.importing.review import directive_import_reviewed, past_due_history
from directives.models import Directive, Task
from directives.views.directives import (
    editable_directive,
    editable_task,
    units_editable_by,
    visible_directive,
)
from units.models import Unit

# --- Directives ----------------------------------------------------------------------------

DIRECTIVE_EXAMPLE = OpenApiExample(
    "Kết luận của Tỉnh ủy",
    value={
        "kind": "KL",
        "number": "56",
        "code": "56-KL/TU",
        "issuer": 12,
        "issued_on": "2025-03-14",
        "subject": "về tăng cường công tác dân vận trong tình hình mới",
        "monitoring_unit": 15,
        "recipients": ["Các huyện ủy, thị ủy, thành ủy", "Lưu Văn phòng Tỉnh ủy"],
        "tasks": [
            {
                "section": "1",
                "title": "Tổ chức quán triệt Kết luận đến toàn thể cán bộ, đảng viên",
                "deadline_kind": "date",
                "due_on": "2025-06-30",
            },
            {
                "section": "2",
                "title": "Báo cáo kết quả thực hiện hằng quý",
                "deadline_kind": "recurring",
                "due_on": "2025-06-30",
                "recurrence": "quarterly",
            },
        ],
    },
    request_only=True,
)


class DirectiveListCreate(DirectiveList):
    """Directives the user may see; monitors and administrators enter new ones."""

    @extend_schema(
        request=DirectiveCreateSerializer,
        responses={201: DirectiveDetailSerializer},
        examples=[DIRECTIVE_EXAMPLE],
    )
    def post(self, request):
        """Enter a directive with its tasks, checked as on the "Enter a directive" page.

        1. monitors and administrators only (403);
        2. the header and every task through the page's forms: issuer, monitoring unit
           and the directive carried out limited to what the user may use (400);
        3. saved in one transaction by ``directive_save_with_tasks`` (with its history).
        """
        user = request.user
        require(user, "directives.create_directive")
        serializer = DirectiveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        tasks = data.pop("tasks")
        data["recipients"] = "\n".join(data["recipients"])
        directive = Directive()
        form = DirectiveForm(
            form_data(data),
            instance=directive,
            units=units_editable_by(user),
            directives=selectors.directives_for_user(user=user),
        )
        formset = TaskFormSet(_task_rows(tasks), instance=directive, prefix="tasks")
        errors = {} if form.is_valid() else form_errors(form)
        if not formset.is_valid():
            for index, task_form in enumerate(formset.forms):
                errors |= form_errors(task_form, f"tasks.{index}.")
            for message in formset.non_form_errors():
                errors.setdefault("tasks", []).append(str(message))
        if errors:
            raise ValidationError(errors)
        saved = services.directive_save_with_tasks(
            directive=form.save(commit=False), tasks=formset.save(commit=False), by=user
        )
        body = DirectiveDetailSerializer(selectors.directive_for_user(user=user, pk=saved.pk))
        return Response(body.data, status=status.HTTP_201_CREATED)


def _task_rows(tasks: list[dict]) -> dict:
    """The tasks as the directive page's task formset posts them."""
    data = {
        "tasks-TOTAL_FORMS": str(len(tasks)),
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
    }
    for index, task in enumerate(tasks):
        data |= form_data(task, prefix=f"tasks-{index}-")
    return data


# --- Import from text ----------------------------------------------------------------------

IMPORT_TEXT_EXAMPLE = OpenApiExample(
    "Văn bản dán vào",
    value={
        "text": "TỈNH ỦY PHÚ YÊN\nSố 56-KL/TU\nTuy Hòa, ngày 14 tháng 3 năm 2025\n"
        "KẾT LUẬN\ncủa Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận\n"
        "1. Các huyện ủy tổ chức quán triệt Kết luận, hoàn thành trước ngày 30/6/2025.\n"
        "T/M BAN THƯỜNG VỤ\nBÍ THƯ\nNguyễn Văn A"
    },
    request_only=True,
)


def _unit_choices(user) -> list[tuple[int, str]]:
    rows = Unit.objects.visible_to(user).active().order_by("path")
    return list(rows.values_list("pk", "name"))


def _review(user, proposal: dict, allowed: set[int]) -> dict:
    """The header and tasks the review page starts from, as API values."""
    header = header_initial(proposal, user, allowed)
    header["recipients"] = [r for r in header["recipients"].splitlines() if r]
    header["past_due_all"] = header["past_due_all"] or ""
    tasks = task_initial(proposal, allowed)
    return {"header": header, "tasks": tasks}


def _draft_body(user, key: str, proposal: dict) -> dict:
    allowed = {pk for pk, _name in _unit_choices(user)}
    return ImportDraftSerializer(
        {"draft": key, "proposal": proposal, "review": _review(user, proposal, allowed)}
    ).data


class DirectiveImport(APIView):
    @extend_schema(
        request={
            "application/json": ImportTextSerializer,
            "multipart/form-data": ImportTextSerializer,
        },
        responses={
            201: ImportDraftSerializer,
            422: OpenApiResponse(description="Văn bản không phải là văn bản chỉ đạo."),
        },
        examples=[IMPORT_TEXT_EXAMPLE],
    )
    def post(self, request):
        """Read a directive from its text (pasted, or a .txt/.docx/.pdf file): the import
        parser's proposal, kept as the user's draft for review. Nothing is created until
        the draft is confirmed."""
        user = request.user
        require(user, "directives.import_directive")
        serializer = ImportTextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        files = {"upload": values["upload"]} if values.get("upload") else {}
        form = ImportSourceForm({"text": values.get("text", "")}, files)
        text = check(form)["document"]
        proposal = proposal_from_text(text, units=Unit.objects.visible_to(user).active())
        if not proposal.get("is_directive", True):
            reasons = " ".join(str(w) for w in proposal.get("warnings") or [])
            return error_response(
                "not_a_directive",
                (_("This text does not look like a directive.") + " " + reasons).strip(),
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        key = draft_create(user, proposal=proposal)
        return Response(_draft_body(user, key, proposal), status=status.HTTP_201_CREATED)


def _draft(user, key: str) -> dict:
    require(user, "directives.import_directive")
    stored = draft_get(user, key)
    if stored is None:
        raise NotFound()
    return stored


class DirectiveImportDraft(APIView):
    @extend_schema(responses={200: ImportDraftSerializer})
    def get(self, request, draft: str):
        """One of the user's import drafts, as the review page first shows it."""
        stored = _draft(request.user, draft)
        return Response(_draft_body(request.user, draft, stored["proposal"]))

    @extend_schema(responses={204: None})
    def delete(self, request, draft: str):
        """Discard the draft; nothing was created."""
        _draft(request.user, draft)
        draft_delete(request.user, draft)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DirectiveImportConfirm(APIView):
    @extend_schema(
        request=ImportConfirmSerializer,
        responses={201: DirectiveDetailSerializer},
        examples=[
            OpenApiExample(
                "Xác nhận, giao chủ trì cho Ủy ban MTTQ tỉnh",
                value={
                    "header": {"monitoring_unit": 15, "past_due_all": "track"},
                    "tasks": [
                        {
                            "index": 0,
                            "text": "Tổ chức quán triệt Kết luận đến cán bộ, đảng viên",
                            "deadline": "2025-06-30",
                            "lead": 21,
                        }
                    ],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, draft: str):
        """Create the directive the draft proposes, with what the review changed.

        1. the draft must be the user's own (404) and the user an importer (403);
        2. header and tasks (what is left out keeps the proposal) through the review
           page's forms, every unit limited to those the user may use (400);
        3. a copy already in the system needs ``import_anyway``; a deadline already
           past needs ``past_due`` (or ``past_due_all``): the same choices the page asks;
        4. ``directive_import_reviewed`` writes it all; the draft is then deleted.
        """
        user = request.user
        stored = _draft(user, draft)
        serializer = ImportConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = stored["proposal"]
        choices = _unit_choices(user)
        allowed = {pk for pk, _name in choices}
        start = _review(user, proposal, allowed)
        header_values = start["header"] | serializer.validated_data.get("header", {})
        header_values["recipients"] = "\n".join(header_values.get("recipients") or [])
        task_values = serializer.validated_data.get("tasks", start["tasks"])
        header_form = ImportHeaderForm(form_data(header_values), unit_choices=choices)
        task_forms = [ImportTaskForm(form_data(row), unit_choices=choices) for row in task_values]
        errors = {} if header_form.is_valid() else form_errors(header_form, "header.")
        for index, task_form in enumerate(task_forms):
            if not task_form.is_valid():
                errors |= form_errors(task_form, f"tasks.{index}.")
        if errors:
            raise ValidationError(errors)
        header = header_form.cleaned_data
        rows = [task_form.cleaned_data for task_form in task_forms]
        _decisions(user, proposal, header, rows)
        with transaction.atomic():
            directive = directive_import_reviewed(
                proposal=proposal, header=header, rows=rows, by=user
            )
            draft_delete(user, draft)
        body = DirectiveDetailSerializer(selectors.directive_for_user(user=user, pk=directive.pk))
        return Response(body.data, status=status.HTTP_201_CREATED)


def _decisions(user, proposal: dict, header: dict, rows: list[dict]) -> None:
    """The deliberate choices the review page asks for, as 400s naming the field."""
    errors: dict[str, list[str]] = {}
    copies = existing_copies(
        user=user,
        issuer_id=header["issuer"],
        code=header.get("code") or "",
        issued_on=header.get("issued_on"),
        subject=header.get("subject") or "",
        text=proposal.get("text") or "",
    )
    if copies and not header.get("import_anyway"):
        errors["header.import_anyway"] = [
            _("This document seems to be in the system already: %(codes)s.")
            % {"codes": ", ".join(f"{c.code or c.pk}" for c in copies)}
        ]
    today = timezone.localdate()
    for index, row in enumerate(rows):
        history = past_due_history(row, default=header.get("past_due_all") or "", today=today)
        if history is None:
            errors[f"tasks.{index}.past_due"] = [
                _("The deadline had passed before the import: follow it or record it as history.")
            ]
        else:
            row["history"] = history
    if errors:
        raise ValidationError(errors)


# --- Tasks ---------------------------------------------------------------------------------


def _tasks_of(user, directive: Directive) -> list[Task]:
    return selectors.directive_tasks_for_user(user=user, directive=directive)


class DirectiveTaskList(generics.ListAPIView):
    """The directive's tasks in their order, each with the assignments of units the user
    may see, its status and progress."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        directive = visible_directive(self.request.user, self.kwargs["pk"])
        return _tasks_of(self.request.user, directive)

    @extend_schema(
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
        examples=[
            OpenApiExample(
                "Nhiệm vụ có chỉ tiêu",
                value={
                    "section": "3",
                    "title": "Xây dựng mô hình dân vận khéo ở 100% xã, phường",
                    "deadline_kind": "period",
                    "due_on": "2025-12-31",
                    "period_label": "Năm 2025",
                    "target_indicator": "Số xã, phường có mô hình",
                    "target_unit": "xã",
                    "target_value": "45",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        """Add a task to a directive the user may change (403 otherwise), checked as on
        the directive form, numbered after the directive's last task."""
        user = request.user
        directive = editable_directive(user, pk)
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = TaskForm(form_data(serializer.validated_data), instance=Task(directive=directive))
        data = check(form)
        section = data.get("section")
        if section and directive.tasks.filter(section=section).exists():
            raise ValidationError(
                {
                    "section": [
                        _("Section %(sections)s is used by more than one task.")
                        % {"sections": section}
                    ]
                }
            )
        task = form.save(commit=False)
        services.directive_save_with_tasks(directive=directive, tasks=[task], by=user)
        row = next(t for t in _tasks_of(user, directive) if t.pk == task.pk)
        return Response(TaskSerializer(row).data, status=status.HTTP_201_CREATED)


class DirectiveTaskDetail(ETagMixin, APIView):
    @extend_schema(responses={200: TaskSerializer})
    def get(self, request, pk: int, task_pk: int):
        """One task of a directive the user may see."""
        directive = visible_directive(request.user, pk)
        task = next((t for t in _tasks_of(request.user, directive) if t.pk == task_pk), None)
        if task is None:
            raise NotFound()
        return self.retrieve_with_etag(request, TaskSerializer(task).data)


# --- Assignments ---------------------------------------------------------------------------


def _assign(user, task: Task, values: dict) -> tuple[int, int]:
    """Give the task to units as the "Assign" page does: the page's form (units limited
    to the user's reach), then ``task_assign_units`` (which tells the units)."""
    units = units_editable_by(user)
    form = TaskAssignForm(form_data(values), units=units)
    data = check(form)
    created, already = services.task_assign_units(
        task=task,
        within=units,
        units=data["units"],
        parent=data["parent"],
        kind=data["kind"],
        level=data["level"],
        role=data["role"],
        due_on=data["due_on"],
    )
    return created, already


def _task_assignments(user, task: Task, unit_ids: set[int] | None = None):
    rows = selectors.assignments_for_user(user=user).filter(task=task)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return rows.order_by("unit__path", "pk")


class TaskAssignmentCreate(APIView):
    @extend_schema(
        request=AssignmentCreateSerializer,
        responses={201: TaskAssignmentSerializer, 200: TaskAssignmentSerializer},
        examples=[
            OpenApiExample(
                "Giao Ủy ban MTTQ tỉnh chủ trì",
                value={"unit": 21, "role": "lead", "due_on": "2025-09-30"},
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int, task_pk: int):
        """Give the task to one unit (201; 200 when the unit already held it, its role
        updated)."""
        _directive, task = editable_task(request.user, pk, task_pk)
        serializer = AssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        unit_id = values.pop("unit")
        created, _already = _assign(request.user, task, {"units": [unit_id], **values})
        row = found(lambda: _task_assignments(request.user, task, {unit_id}).get())
        return Response(
            TaskAssignmentSerializer(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TaskAssignmentBulk(APIView):
    @extend_schema(
        request=BulkAssignSerializer,
        responses={201: BulkAssignResultSerializer},
        examples=[
            OpenApiExample(
                "Giao tất cả Đảng ủy xã, phường của huyện",
                value={"parent": 30, "kind": "party_committee", "level": "commune"},
                request_only=True,
            ),
            OpenApiExample(
                "Giao nhiều đơn vị phối hợp",
                value={"units": [21, 22, 23], "role": "coordinating"},
                request_only=True,
            ),
        ],
    )
    def post(self, request, pk: int, task_pk: int):
        """Give the task to many units at once: picked ones, and/or every active unit of
        a kind under a parent unit ("Đảng ủy các xã, phường" of a district)."""
        _directive, task = editable_task(request.user, pk, task_pk)
        serializer = BulkAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created, already = _assign(request.user, task, dict(serializer.validated_data))
        body = BulkAssignResultSerializer(
            {
                "created": created,
                "already_held": already,
                "assignments": _task_assignments(request.user, task),
            }
        )
        return Response(body.data, status=status.HTTP_201_CREATED)
