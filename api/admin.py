"""API keys in the administration site: created for a user, shown once, revoked here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked", "last_used_at"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "prefix", "expires_at", "revoked", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        # A key stays with the user it was made for.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            raw = obj.set_new_key()
            obj.save()
            messages.warning(
                request,
                _("The new API key is %(key)s. Copy it now: it will not be shown again.")
                % {"key": raw},
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request, queryset):
        count = queryset.update(revoked=True)
        messages.success(request, _("%(count)d keys revoked.") % {"count": count})
