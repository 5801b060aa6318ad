"""factory_boy factories: the smallest valid objects, related the way the domain relates them."""

from __future__ import annotations

import datetime

import factory

from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    Directive,
    DirectiveKind,
    ProgressReport,
    Task,
)
from units.models import Role, Unit, UnitKind, UnitLevel, User


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit; pass ``parent=`` to place it in the tree (a root otherwise)."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.PARTY_COMMITTEE
    level = UnitLevel.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, parent: Unit | None = None, **kwargs):
        if parent is None:
            return Unit.objects.add_root(kwargs)
        # add_child needs the parent's current numchild, which other inserts may have changed.
        return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Hương"
    last_name = "Trần Thị"
    email = factory.LazyAttribute(lambda u: f"{u.username}@donvi.example")
    role = Role.STAFF
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "matkhau-thu-nghiem-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    kind = DirectiveKind.KL
    number = factory.Sequence(lambda n: str(n + 1))
    code = factory.LazyAttribute(lambda d: f"{d.number}-{d.kind}/TU")
    issuer = factory.SubFactory(UnitFactory)
    issued_on = datetime.date(2024, 1, 15)
    subject = "về tăng cường công tác dân vận trong tình hình mới"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    directive = factory.SubFactory(DirectiveFactory)
    section = factory.Sequence(lambda n: f"1.{n + 1}")
    title = "Tổ chức quán triệt, triển khai thực hiện"
    deadline_kind = DeadlineKind.DATE
    due_on = datetime.date(2024, 6, 30)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)
    role = AssignmentRole.LEAD
    due_on = factory.LazyAttribute(lambda a: a.task.due_on)
    original_due_on = factory.LazyAttribute(lambda a: a.due_on)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(AssignmentFactory)
    reported_on = datetime.date(2024, 3, 1)
    percent = 50
    results = "Đã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt."
    author = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..assignment.unit"))
