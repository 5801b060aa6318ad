"""What happens to the work, for the apps that tell people about it (notifications/
listens, see notifications/events.py), so directives/ never imports them.

Each is sent inside the transaction that made the change, with ``sender`` the model class.
"""

from django.dispatch import Signal

# assignments=<list of Assignment>: a task was given to these units (new assignments only).
assignments_given = Signal()
# report=<ProgressReport>: waits for the unit leader's approval.
report_awaiting_leader = Signal()
# report=<ProgressReport>: the unit leader returned it to its author.
report_returned_by_leader = Signal()
# report=<ProgressReport>: the monitor accepted or returned it (report.status says which).
report_reviewed = Signal()
# request=<ExtensionRequest>: approved or refused (request.status says which).
extension_decided = Signal()
# request=<ExplanationRequest>: the monitor asks the unit why the work is late.
explanation_requested = Signal()
# directive=<Directive>: a directive was entered (created) in the system.
directive_issued = Signal()
# report=<ProgressReport>: reached the committee's monitors (submitted, or approved by the
# unit leader).
report_submitted = Signal()
