"""Import proposals kept between the upload and the confirmation, per user.

Nothing reaches the directives until the user confirms; what they typed on the review
page is kept with the draft, so a validation error, a reload or logging in again loses
nothing. A draft belongs to the user who read the text (another user gets None) and is
deleted when confirmed or discarded; a user keeps a few at most (the oldest is dropped).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.fields.json import KT

from directives.models import ImportDraft
from units.models import User

MAX_DRAFTS = 5


def _key(draft_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(draft_id))
    except ValueError:
        return None


def draft_create(user: User, *, proposal: dict) -> str:
    """Keep ``proposal`` for ``user`` and return its id."""
    kept = list(ImportDraft.objects.filter(user=user).values_list("pk", flat=True))
    if len(kept) >= MAX_DRAFTS:
        ImportDraft.objects.filter(pk__in=kept[MAX_DRAFTS - 1 :]).delete()
    return ImportDraft.objects.create(user=user, proposal=proposal).key.hex


def draft_get(user: User, draft_id: str) -> dict | None:
    """{"proposal", "form_data"} of the user's draft, or None (another user's, or gone)."""
    key = _key(draft_id)
    if key is None:
        return None
    row = ImportDraft.objects.filter(user=user, key=key).values("proposal", "form_data").first()
    return row


def draft_save_form_data(user: User, draft_id: str, form_data: dict[str, list[Any]]) -> None:
    """Remember what the user typed on the review page (a QueryDict as lists). NUL
    characters, which no form field accepts and PostgreSQL's JSON cannot store, are
    dropped: the form then says what is wrong with the rest."""
    key = _key(draft_id)
    if key is not None:
        kept = {
            name: [str(value).replace("\x00", "") for value in values]
            for name, values in form_data.items()
        }
        ImportDraft.objects.filter(user=user, key=key).update(form_data=kept)


def draft_delete(user: User, draft_id: str) -> None:
    key = _key(draft_id)
    if key is not None:
        ImportDraft.objects.filter(user=user, key=key).delete()


def drafts_of(user: User) -> list[dict]:
    """The user's unfinished reviews, newest first: key (hex), code, subject, updated_at."""
    rows = ImportDraft.objects.filter(user=user).values(
        "key",
        "updated_at",
        code=KT("proposal__code"),
        subject=KT("proposal__subject"),
    )
    return [{**row, "key": row["key"].hex} for row in rows]
