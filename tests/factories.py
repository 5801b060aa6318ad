"""factory_boy factories: the smallest valid objects, related the way the domain relates them."""

from __future__ import annotations

import factory

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
