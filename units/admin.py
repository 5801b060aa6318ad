from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from units.models import Unit, UnitChange, User
from units.text import fold


class UnitChangeInline(admin.TabularInline):
    model = UnitChange
    fk_name = "unit"
    extra = 0
    fields = (
        "kind",
        "effective_on",
        "old_name",
        "new_name",
        "successor",
        "old_parent",
        "note",
        "created_by",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "abbreviation", "kind", "level", "email", "valid_to")
    list_filter = ("kind", "level", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "abbreviation", "search_text")
    autocomplete_fields = ("successor",)
    inlines = [UnitChangeInline]

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: "ban dan van" finds "Ban Dân vận".
        if not search_term:
            return queryset, False
        return queryset.filter(search_text__contains=fold(search_term)), False


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "effective_on", "old_name", "new_name", "successor")
    list_filter = ("kind",)
    search_fields = ("old_name", "new_name", "unit__name")
    date_hierarchy = "effective_on"
    list_select_related = ("unit", "successor")
    readonly_fields = ("created_by", "created_at")
    autocomplete_fields = ("unit", "successor", "successors", "old_parent")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Unit and role"), {"fields": ("unit", "role", "job_title")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Unit and role"), {"fields": ("unit", "role", "email", "first_name", "last_name")}),
    )
    list_display = ("username", "full_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff", "unit__kind")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()
