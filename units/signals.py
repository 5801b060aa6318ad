"""Signals other apps listen to, so units/ never imports them."""

from django.dispatch import Signal

# Sent inside the merge transaction with source=<Unit>, successor=<Unit>, effective_on=<date>.
# The directives app moves open assignments to the successor when it receives it.
unit_merged = Signal()
