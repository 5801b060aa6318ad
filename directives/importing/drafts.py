"""Import proposals kept between the upload and the confirmation, in the user's session.

Nothing reaches the database until the user confirms; what they typed on the review page
is kept with the draft, so a validation error or a reload loses nothing. A few drafts at
most per session (the oldest is dropped), each under a random id.
"""

from __future__ import annotations

import uuid
from typing import Any

SESSION_KEY = "directive_import_drafts"
MAX_DRAFTS = 3


def _drafts(session) -> dict[str, dict]:
    return session.get(SESSION_KEY) or {}


def draft_create(session, *, proposal: dict) -> str:
    """Keep ``proposal`` and return its id."""
    drafts = _drafts(session)
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    draft_id = uuid.uuid4().hex
    drafts[draft_id] = {"proposal": proposal, "form_data": None}
    session[SESSION_KEY] = drafts
    return draft_id


def draft_get(session, draft_id: str) -> dict | None:
    return _drafts(session).get(draft_id)


def draft_save_form_data(session, draft_id: str, form_data: dict[str, list[Any]]) -> None:
    """Remember what the user typed on the review page (a QueryDict as lists)."""
    drafts = _drafts(session)
    if draft_id in drafts:
        drafts[draft_id]["form_data"] = form_data
        session[SESSION_KEY] = drafts


def draft_delete(session, draft_id: str) -> None:
    drafts = _drafts(session)
    if drafts.pop(draft_id, None) is not None:
        session[SESSION_KEY] = drafts
