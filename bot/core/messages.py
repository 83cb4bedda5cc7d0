"""Every sentence the bot says, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from forms import language

UNKNOWN_PERSON = (
    "I can't find you in the organisation's directory, so I can't take requests from you yet. "
    "Please ask {contact} to add your work email."
)
HELP_CONTACT = "your administrator"
"""Who adds people to the directory, when FRONTDOOR_HELP_CONTACT does not say."""
HELP_INTRO = "I turn plain-language requests into standard forms and route them for approval. I can help with:"
HELP_TAIL = (
    'Just describe what you need, e.g. "we need 3 monitors for 4 West, cost center 4410, about $900". '
    'You can also ask "status of REQ-1001", "what do I need to approve?", or say "cancel".'
)
OUT_OF_SCOPE = "Sorry, that's not something I can help with here. I take back-office service requests:"
REFUSED = (
    "Sorry, that's not something I can help with here. I take back-office requests — purchases, repairs "
    "and work orders, system access, new hires and staff changes, vendors, invoices, cost centers and contracts; "
    'say "help" for the list.'
)
CLINICAL_RESOURCE = "your unit's clinical references, or ask your pharmacist or charge nurse"
"""Where a clinical question is pointed when FRONTDOOR_CLINICAL_RESOURCE does not say."""
GREETING = (
    "Hello! Tell me what you need — a purchase, a repair, system access, a new hire's set-up — and I'll fill "
    "in the form with you."
)
THANKS = "You're welcome! Anything else, just tell me."
WHO_I_AM = (
    "I'm Front Door, the service-request assistant: an automated helper, not a person. Tell me what you need "
    'and I\'ll turn it into a request and route it for approval; say "help" for what I can do.'
)
CLINICAL = (
    "I can't help with clinical questions — please use {resource}. I handle back-office requests: purchases, "
    "repairs, system access, HR, vendors, invoices and contracts."
)
WHICH_TYPE = 'I\'m not sure which request this is — is it {choices}? Say which (or "help" for everything I do).'
POLICY = (
    "Each request type has its own approvers and service times; the form shows them when you start one, and "
    'the approval card says who decides each step. Say "help" for the request types.'
)
NOTHING_TO_CANCEL = "There's nothing in progress to cancel."
TO_WITHDRAW = 'To withdraw it, say "withdraw {ref}".'
DRAFT_CANCELLED = "Cancelled — nothing was submitted."
STALE_FORM = "That form has changed since it was shown. Here is the latest version to review."
NOT_YOUR_DRAFT = "That form is {name}'s request; only they can confirm, edit or cancel it."
ALREADY_SUBMITTED = "Already submitted as {line}."
ALREADY_CANCELLED = "That form was cancelled — nothing was submitted. Tell me what you need to start again."
SET_ASIDE = (
    "That form was set aside when you started another request — nothing was submitted. "
    "Tell me what you need to start again."
)
NO_DRAFT = "That form is no longer open — nothing was submitted. Tell me what you need to start again."
EDIT_PROMPT = 'What would you like to change? For example: "quantity 4" or "cost center CC-4400".'
NO_APPROVALS = "Nothing is waiting for your approval right now."
NO_REQUESTS = "You have no requests yet."
OWN_REQUEST = "You can't approve your own request; it needs someone else's decision."
ANSWER_THANKS = "Thanks — I've passed your answer on to {approver} for {ref}."
NOTHING_MISSING = "Nothing else is needed. "
NOTED_LATER = "I'll come back to {what} after this one. "
OFFER_LATER = "You also mentioned {what}: shall I start that request now?"
START_LATER = "Let's do the {title} now. "
LATER_DECLINED = "OK, I won't start the {title}. Anything else, just tell me."
PICK_CHOICE = "I still need the {label}: pick one below, or type it ({choices})."
FILL_IN_FORM = "I still need the {label}. Type it, or press Edit to fill in the form — here is what I have so far."


def unknown_person(contact: str) -> str:
    """What someone missing from the directory is told: whom to ask (FRONTDOOR_HELP_CONTACT)."""
    return UNKNOWN_PERSON.format(contact=contact or str(HELP_CONTACT))


_DAYS_ES = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
_MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def day(at: date) -> str:
    """A day as a sentence says it: "Mon Dec 14"; in Spanish "lun 14 dic"."""
    if language.current() == language.SPANISH:
        return f"{_DAYS_ES[at.weekday()]} {at.day:02d} {_MONTHS_ES[at.month - 1]}"
    return at.strftime("%a %b %d")


def moment(at: datetime) -> str:
    """A wall-clock instant as a sentence says it: "Mon Dec 14 10:00"; "lun 14 dic 10:00"."""
    return f"{day(at)} {at:%H:%M}"


def bullet(lines: Iterable[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


COULD_NOT_USE = "I couldn't use some of that: {errors}"


def refused_values(errors: dict[str, str]) -> str:
    return COULD_NOT_USE.format(errors=" ".join(errors.values()))


def duration(span: timedelta) -> str:
    """A span as people say it: "a few minutes", "45 minutes", "2 hours", "3 days"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 5:
        return str(A_FEW_MINUTES)
    if minutes < 60:
        return MINUTES.format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return str(ONE_HOUR) if hours == 1 else HOURS.format(n=hours)
    return DAYS.format(n=hours // 24)


A_FEW_MINUTES = "a few minutes"
MINUTES = "{n} minutes"
ONE_HOUR = "1 hour"
HOURS = "{n} hours"
DAYS = "{n} days"
AND = " and "


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + str(AND) + items[-1]


def still_needed(title: str, needed: list[str]) -> str:
    """The lead of the answer to "what else do you need?" in the middle of a form."""
    return STILL_NEEDED.format(title=title, needed=listed(needed))


STILL_NEEDED = "To finish your {title} I still need the {needed}. "


def a_or_an(noun: str) -> str:
    """ "a purchase requisition", "an access request" (in Spanish, the title alone: "solicitud de acceso")."""
    return (AN_TYPE if noun[:1].lower() in "aeiou" else A_TYPE).format(title=noun)


def not_complete(needed: list[str]) -> str:
    """The lead of the answer to Confirm on a form that is not filled in yet."""
    if not needed:
        return str(NOTHING_SUBMITTED)
    return NOTHING_SUBMITTED_NEEDS.format(needed=listed(needed))


NOTHING_SUBMITTED = "Nothing was submitted yet. "
NOTHING_SUBMITTED_NEEDS = "Nothing was submitted yet: the form still needs the {needed}. "


# A submitted request's life in words: withdraw, typed decisions, details, resubmit, a person to talk to.

WITHDRAWN = "Withdrawn {ref} ({title}): nothing more will happen to it."
WITHDRAWN_TOLD = " I've told {who}."
WITHDRAWN_APPROVER = "{name} withdrew {ref} ({title}); it no longer needs your decision."
WITHDRAWN_CARD = "Withdrawn by {name} at {when}. Nothing to decide."
WITHDRAW_ASKED = (
    "{ref} is already with the {team} team, so I've asked their system to withdraw it; I'll tell you as soon "
    "as it answers (it may refuse if work has started)."
)
WITHDRAW_CONFIRMED = "Withdrawn {ref}: the {team} team's system has cancelled it, as you asked."
WITHDRAW_REFUSED = "The {team} team's system could not withdraw {ref}: {why}. {contact}"
WITHDRAW_FINAL = "{ref} was already {status}; there is nothing to withdraw."
WITHDRAW_STARTED = "{ref} can't be withdrawn any more: the {team} team has started work on it. {contact}"
NOT_YOUR_REQUEST = "You can only withdraw your own requests, and {ref} is not one of them."
EXPIRED_STEP = "{ref} expired: nobody decided it in time, so there's nothing to decide."
EXPIRED_CARD = "Expired at {when}: nobody decided it within {days} business days. Nothing to decide."
EXPIRED_APPROVER = (
    "{ref} ({title}) expired after waiting more than {days} business days; it no longer needs your decision."
)
EXPIRED = (
    "{ref} ({title}) expired: it waited more than {days} business days for {waiting} and nobody decided it, so I've"
    " closed it and told the service team. Press Resubmit to send it again as a new form."
)
EXPIRED_CONFIRMATION = "Expired at {when}."
NOT_YOURS_TO_RESUBMIT = "You can only send your own requests again, and {ref} is not one of them."
NOT_EXPIRED = "{ref} is {status}; only an expired or rejected request can be sent again with Resubmit."
WITHDRAWN_STEP = "{ref} was withdrawn by its requester; there's nothing to decide."
NO_SUCH_REQUEST = "I can't find {ref} among your requests."
NO_BUTTON_REQUEST = "I can't find the request that button was for."
NO_MATCH = "I can't find a request of yours about {what}. Your latest requests:\n{lines}"
NO_RECENT = "You have no requests yet."
WHICH_REQUEST = "Which request do you mean? Say its number:\n{lines}"

TYPED_APPROVED = "Done: you approved {ref}."
TYPED_REJECTED = "Done: you rejected {ref}{reason}. {name} has been told."
TYPED_WHICH = 'Which one do you mean? Here is what is waiting for you — press a button, or say e.g. "approve {ref}".'
NOT_YOURS_TO_DECIDE = "You can't decide {ref}: {why}"
NOTHING_TO_DECIDE = "{ref} has no approval waiting (it is {status})."

NOT_INVOLVED = "I can only show a request to the people involved in it, and you are not one of {ref}'s."
NOT_REJECTED = "{ref} was not rejected (it is {status}), so there is nothing to send again."
RESUBMIT_LEAD = "Here is {ref} again as a new form{changed}. "
RESUBMIT_UNCHANGED = (
    'I couldn\'t tell what to change from that, so it is as it was — say the change ("cost $2,300") or press Edit. '
)

HUMAN = "For the {title}, the {team} team can help: {contact}."
HUMAN_GENERAL = "To talk to a person, contact {contact}."
HUMAN_TAIL = " I'm an automated assistant; I can also take the request in chat."


def contact_line(team: str, contact: str) -> str:
    """Whom to ask about a request of a team: its contact when the catalog gives one."""
    return CONTACT_TEAM.format(team=team, contact=contact) if contact else ""


CONTACT_TEAM = "Contact the {team} team ({contact}) if it must be stopped."


DELEGATE_UNKNOWN = "I can't find that person in the directory, so nothing was delegated; give a colleague's work email."
DELEGATE_AMBIGUOUS = "{who!r} could be {names}; nothing was delegated. Say which (their work email)."
DELEGATE_SELF = "You can't delegate your approvals to yourself; name a colleague who can approve for you."
DELEGATE_REQUESTER = (
    "{name} asked for {ref}, which waits for your approval, and may not approve their own request; "
    "nothing was delegated. Name someone else."
)
DELEGATE_UNTIL_WHEN = 'Until when should {name} approve for you? Say a date, e.g. "until Friday" or "Dec 14".'
NO_DELEGATION = "You have no delegation running."
DELEGATION_SHOWN = 'Your approvals are delegated. End it here, or say "I\'m back".'
DELEGATE_DROPPED = "All right, nothing was delegated; your approvals stay with you."


# Approvals: submission, cards, decisions, questions to the requester.

STAND_IN_ONLY_HOLDER = "{label} approval will come from {name}, since you are {label}'s only approver."
STAND_IN_OWN_MANAGER = "Manager approval will come from {name}."
STAND_IN_DELEGATED = "Manager approval will come from {name}, since {manager}'s approvals are with you for now."
SUBMITTED_NO_APPROVAL = "Submitted {ref} ({title}). No approval is needed."
RESPOND_WITHIN_TEAM = " The {team} team will respond within {hours:g} hours."
RESPOND_WITHIN = " The service team will respond within {hours:g} hours."
SUBMITTED_NEEDS = "Submitted {ref} ({title}). It needs approval from {approvers}. I'll let you know at each step."
THEN = ", then "
YOUR_MANAGER_NAMED = "your manager ({name})"
YOUR_MANAGER = "your manager"
WAITING_DUE = "Waiting for {label} · due {due}"
STEP_FOR = "{name}, for {role}"
CARD_REQUESTER = "Requester"
CARD_STEP = "Step"
ASKS_APPROVAL = "{name} asks for approval of {ref} ({title})."
ONLY_PERSON_DECIDES = "Only {name} can decide this step of {ref}."
ONLY_TEAM_DECIDES = "Only the {role} team can decide this step of {ref}."
NO_REQUEST_NAMED = "I can't find request {ref}."
NO_APPROVAL_WAITING = "{ref} has no approval waiting."
NOT_REACHED = "{ref} hasn't reached that step yet."
ALREADY_DECIDED = "{ref} was already {status} by {who} at {when}."
STEP_CLOSED = "That step of {ref} is {status}; there's nothing to decide."
APPROVED_BY = "Approved by {who} at {when}."
REJECTED_BY = "Rejected by {who} at {when}."
DECIDED_BY = "{status} by {who} at {when}."
REASON = " Reason: {reason}"
NO_REASON = " No reason was given."
REJECTED_NOTICE = "{who} rejected {ref}.{reason}"
APPROVED_NEXT = "{who} approved {ref}. Next: {label}."
APPROVED_FULLY = "{who} approved {ref}. It is fully approved and on its way to the service team."
INFO_DEFAULT_QUESTION = "Could you tell me more about this request?"
ASKED_INFO_CARD = "{who} asked for more information: {question}"
INFO_NEEDED = "{who} needs more information about {ref}: {question}\nReply here and I'll pass it on."
ANSWERED_CARD = "{name} answered: {text}"
ANSWERED_NOTICE = "{name} answered about {ref}: {text}"

# Request and step statuses, as they read in a sentence.

STATUS_PENDING_APPROVAL = "waiting for approval"
STATUS_APPROVED = "approved, with the service team"
STATUS_REJECTED = "rejected"
STATUS_CANCELLED = "cancelled"
STATUS_EXPIRED = "expired (nobody decided in time)"
STATUS_SUBMITTED = "submitted to the service team"
STATUS_IN_PROGRESS = "in progress"
STATUS_FULFILLED = "fulfilled"
STATUS_FAILED = "failed"
STATUS_RECEIVED = "received by the service team"
STEP_APPROVED = "approved"
STEP_REJECTED = "rejected"
STEP_CANCELLED = "cancelled"
STEP_SKIPPED = "skipped"
STEP_ACTIVE = "waiting for a decision"
STEP_PENDING = "not reached yet"
STEP_INFO_REQUESTED = "waiting for more information"


def status(value: str) -> str:
    """A request's status (or the service team's) as a sentence says it: "waiting for approval"."""
    words = globals().get(f"STATUS_{str(value).upper()}")
    return str(words) if words is not None else str(value).replace("_", " ")


def step_status(value: str) -> str:
    """A step's status as a sentence says it: "approved", "waiting for a decision"."""
    words = globals().get(f"STEP_{str(value).upper()}")
    return str(words) if words is not None else str(value).replace("_", " ")


def decided_by(value: str, who: str, when: str) -> str:
    """ "Approved by Carol Diaz at Mon Dec 07 10:00." """
    if value == "approved":
        return APPROVED_BY.format(who=who, when=when)
    if value == "rejected":
        return REJECTED_BY.format(who=who, when=when)
    return DECIDED_BY.format(status=step_status(value).capitalize(), who=who, when=when)


# The conversation: forms asked for, shown, closed.

BACK_TO = "\n\nBack to your {title}: {still}{ask}"
STILL_NEED = "I still need the {needed}. "
OR = " or "
THE_TYPE = "the {title}"
A_TYPE = "a {title}"
AN_TYPE = "an {title}"
SET_ASIDE_NOTE = "(I've set aside the {title} you started.) "
LETS_SET_UP = "Let's set up {title}. "
HERE_IS_FORM = "Here is your {title}. Confirm to submit, or edit it."
PLEASE_CHECK = " Please check the {labels}: I wasn't sure I read it right."
GOT_IT = "Got it ({values}). "
SUBMITTED_AS = "Submitted as {ref}."
WITH_THE = ", with the {values}"


# An unfinished form: a question about something else asked in the middle of it, and the one nudge.

ASIDE_NOT_SENT = (
    "Your {title} hasn't been sent yet, so nobody has seen it: it goes out once you confirm it, and I'll keep "
    "you posted from there."
)
ASIDE_NO_APPROVAL = "A {title} needs no approval: once you confirm it, it goes straight to the {team} team."
ASIDE_APPROVERS = "As it stands, a {title} like this one needs approval from {approvers}."
ASIDE_THEN = ", then "
ASIDE_YOUR_MANAGER = "your manager ({name})"
ASIDE_YOUR_MANAGER_UNNAMED = "your manager"
ASIDE_APPROVAL_TIME = (
    "Each approval step has up to {hours} business hours to be decided, and the approver is reminded before "
    "that runs out."
)
ASIDE_RESPONSE_TIME = "The {team} team aims to respond within {hours} hours at this priority."
ASIDE_BACK = "\n\nBack to your {title}: {ask}"
ASIDE_REVIEW_BACK = "\n\nYour {title} is ready above: press Confirm to submit it, or Edit to change it."
NUDGE_MISSING = (
    "Your {what} isn't sent yet: it still needs the {needed}. Answer here, or press Edit to fill in the form."
)
NUDGE_CONFIRM = "Your {what} isn't sent yet: it only needs Confirm. Press Confirm to submit it, or Edit to change it."
NUDGE_PICK = "Your {what} isn't sent yet: it only needs the {needed}. Pick one below, or type it."
NUDGE_WHAT = "{title} ({values})"
NUDGE_VALUE = "{label} {value}"


# Approval steps decided by several people (`all_of`, `any: N`; bot/core/stages.py).

ANY_OF_ROLE = "{count} {label} approvers"
MORE_OF = "{label} ({count} more)"
MEMBER_APPROVER = "{name} ({role})"
CARD_APPROVED_SO_FAR = "Approved so far"
MEMBER_APPROVED = "{who} approved {ref}. Still waiting for {waiting}."
DECIDED_ONCE = (
    "You have already decided {ref} (for {role}); each approver decides once, so this part is for someone else."
)
CLOSED_BY_REJECTION = "Closed: {who} rejected {ref}."
SLOT_STAND_IN = "{label} approval needs {count} people besides you, so {name} will be one of them."


# Status and details of a request.

STEP_WITH = ", step {seq} with {who} (waiting {waited})"
STEP_WITH_ASKED = ", step {seq} with {who} (asked for more information {waited})"
NOT_AMONG_YOURS = "I can't find {ref} among your requests."
LATEST_REQUESTS = "Your latest requests:\n{lines}"
WAITING_FOR_YOU = "Waiting for your approval ({count}):\n{lines}"
STEP_IS = "This step is {status}."
REQUESTED_BY = "Requested by {name} on {when}."
WHAT_IT_ASKS = "What it asks for:\n{lines}"
APPROVALS_LINES = "Approvals:\n{lines}"
NOT_DECLINED = "{ref} was not declined: it is {status}."
THEIR_REASON = 'Their reason: "{reason}".'
NO_REASON_GIVEN = "They gave no reason."
DECLINED_ON = "{who} declined {ref} on {when}. {said}"
NOBODY_SIGNS = "Nobody has to sign off on {ref} now: it is {status}."
THEN_LATER = " Then: {who}."
WAITS_FOR = "{ref} waits for {who}.{then}"
DELEGATE_HOLDS = "{name} (their approvals are with {delegate} for now)"
FOR_PERSON = "{delegate} for {name}"
STEP_DECIDED_LINE = "{label}: {status} by {who} on {when}{said}"
STEP_ASKED_LINE = "{label}: {who} asked for more information: {question}"
STEP_WAITING_LINE = "{label}: with {who}, waiting {waited}"
STEP_NOT_REACHED_LINE = "{label}: not reached yet ({who})"

# Cards.

REVIEW_TITLE = "Review: {title}"
EDIT_TITLE = "Edit: {title}"
DRAFT_TITLE = "Draft: {title}"
REVIEW_STATUS = "Please check the details, then confirm to submit."
STILL_NEEDED_STATUS = "Still needed: {needed}."
BUTTON_CONFIRM = "Confirm"
BUTTON_EDIT = "Edit"
BUTTON_CANCEL = "Cancel"
BUTTON_SAVE = "Save"
BUTTON_APPROVE = "Approve"
BUTTON_REJECT = "Reject"
BUTTON_REQUEST_INFO = "Request info"
BUTTON_WITHDRAW = "Withdraw"
BUTTON_END = "End"
BUTTON_TAKE = "Take"
BUTTON_RESUBMIT = "Resubmit"
DELEGATED_TITLE = "Your approvals are delegated"
CARD_DELEGATE = "Delegate"
CARD_UNTIL = "Until"

# Limits.

TOO_LONG = (
    "That message is too long for me to read ({count} characters; I read up to {most}). Please send the request "
    "in a few sentences: what you need, where, and by when. Nothing you already gave me is lost."
)
COMMENT_TOO_LONG = (
    "That comment is {count} characters long; please keep it under {most} and try again. Nothing was changed."
)
UNKNOWN_BUTTON = "That button does not name a request I know. Nothing was changed."
VALUE_TOO_LONG = (
    "One of the values you entered is {count} characters long; please keep each under {most} and submit again. "
    "Nothing was changed."
)

# Delegation.

DELEGATED_TO_YOU = "{name} has delegated their approvals to you until {until}."
DELEGATION_STARTED = 'Until {until} your approvals go to {name}. Say "end delegation" to stop earlier.'
DELEGATION_ENDED = "Delegation ended: your approvals come to you again."


# Approval steps taken and handed on (bot/core/assign.py).

ASSIGN_UNKNOWN_PERSON = "I can't find that person in the directory; give their work email."
ASSIGN_SAY_WHOM = "Say whom to give {ref} to."
ASSIGN_NO_SUCH = "I can't find {ref}."
ASSIGN_NO_SUCH_UNNAMED = "I can't find that request."
ASSIGN_OWN_REQUEST = "You can't reassign your own request's approval."
ASSIGN_ONLY_APPROVERS = "Only the approvers of {ref}, or their manager, can reassign it."
ASSIGN_REASSIGN_TO = "Reassign to {name}"
ASSIGN_ALREADY_YOURS = "{ref} is already yours."
ASSIGN_ALREADY_HAS = "{who} already has {ref}."
ASSIGN_ALREADY_SOMEONES = "That step of {ref} is already someone's."
ASSIGN_TAKEN_CARD = "Taken by {name} at {when}. {status}"
ASSIGN_TAKEN = "{ref} is yours: the other {label} approvers see that you have it."
ASSIGN_HANDLING = "{name} ({label}) is handling {ref}."
ASSIGN_NOT_ELIGIBLE = "{name} can't decide that step of {ref}; it can go to {names}."
ASSIGN_NOBODY_ELSE = "nobody else"
ASSIGN_JUST_GIVEN = "{ref} was just given to {name}."
ASSIGN_REASSIGNED_CARD = "Reassigned to {name} by {by} at {when}."
ASSIGN_GIVEN_YOU = "{by} gave you {ref} ({title}) to decide, for {label}."
ASSIGN_DONE = "Done: {ref} ({label}) is now with {name}; I've sent them the card."
ASSIGN_NOW_WITH = "{ref}'s {label} approval is now with {name}."

# Reminders and escalations: the ladder's sentences (reminders/ladder.py `Words`, said by bot/core/sweep.py).

LADDER_WHAT = "{ref} ({title} from {requester}: {summary})"
LADDER_WHAT_SHORT = "{ref} ({title})"
LADDER_REMINDER = "Reminder: {what} is waiting for your {asked}. It has waited {waited}."
LADDER_OVERDUE = "Overdue: {what} is past its approval time, waiting for your {asked}. It has waited {waited}."
LADDER_TAKING_LONGER = (
    "{ref} ({title}) is taking longer than it should: it has waited {waited} for {approvers}. I've reminded them."
)
LADDER_ESCALATION = "Escalation: {what} has waited {waited} for a {asked} from {approvers}. {follow}"
LADDER_REASSIGN_OR_DECIDE = "Could you reassign it to another approver, or decide it yourself?"
LADDER_REASSIGN_OR_FOLLOW = "Could you reassign it to another approver, or follow up?"
LADDER_FOLLOW_OR_DECIDE = "Could you follow up, or decide it yourself?"
LADDER_FOLLOW_UP = "Could you follow up?"
LADDER_INFO_NUDGE = (
    'Reminder: {ref} ({title}) is on hold until you answer the question of {approvers}: "{question}" '
    "It has waited {waited}. Reply here to continue."
)
LADDER_A_WHILE = "a while"
LADDER_ONE_MINUTE = "1 minute"
LADDER_MINUTES = "{n} minutes"
LADDER_ONE_HOUR = "1 hour"
LADDER_HOURS = "{n} hours"
LADDER_DAYS = "{n} days"
LADDER_UNDER_BUSINESS_HOUR = "less than a business hour"
LADDER_ONE_BUSINESS_HOUR = "1 business hour"
LADDER_BUSINESS_HOURS = "{n} business hours"
LADDER_WAITED_COUNTED = "{wall} ({business})"
REMIND_DECISION = "decision (step {seq}, {label})"
REMIND_THE_APPROVER = "the approver"
REMIND_STANDING_IN = "{name}, standing in for {absent}"
REMIND_ROLE_TEAM = "the {label} team"

# Cards that could not be delivered (bot/core/dead_letters.py).

DEAD_CARD_LEAD = (
    "{name} asks for approval of {ref}: its card could not be delivered to {where}, so it comes to you directly."
)
DEAD_SENT_TO = "The approval card for {ref} could not be delivered to {where}, so I sent it to {names} directly."
DEAD_NOT_SENT = (
    "The approval card for {ref} could not be delivered to {where}. The Front Door administrators can see it and "
    "send it again; you may also want to tell the approver."
)

# The service team's system: delivery, news, withdrawal and expiry (bot/backend_link.py, bot/core/news.py, …).

BACKEND_QUEUED = (
    "The service team's system isn't reachable right now. {ref} is saved and queued; "
    "it will be delivered automatically, once, as soon as the system is back."
)
BACKEND_DELIVERED_LATE = "{ref} has now reached the service team's system."
BACKEND_REFUSED = (
    "The service team's system refused {ref}: {error}. Nothing else was sent; please contact the service desk."
)
BACKEND_ANSWERED = "it answered {status}"
NEWS_IN_PROGRESS = "Update on {ref}: it is now in progress.{reason}"
NEWS_FULFILLED = "Update on {ref}: it has been fulfilled.{reason}"
NEWS_FAILED = "Update on {ref}: it could not be fulfilled.{reason}"
NEWS_CANCELLED = "Update on {ref}: it was cancelled by the service team.{reason}"
NEWS_STEP_CLOSED = "Closed: the service team reports the request {status}."
CANCELLED_AT = "Cancelled at {when}."
WITHDRAWN_AT = "Withdrawn at {when}."
EXPIRED_STATUS = "Expired"
SERVICE_TEAM = "service"
"""The team of a request type that names none, as in "the {team} team"."""
NOT_WAITING_FOR_YOU = "it is not waiting for you."
TYPED_REASON = ' ("{reason}")'

# What the chat platforms show around the cards: App Home, modals, short answers to a press.

HOME_DELEGATION = "My delegation"
HOME_REQUESTS = "My requests"
HOME_WAITING = "Waiting for my approval"
HOME_NOTHING_WAITING = "Nothing is waiting for your approval."
HOME_MORE = "… and {count} more. Ask me “what do I need to approve?” to see them all."
MORE_FIELDS = "… and {count} more fields."
MODAL_CLOSE = "Close"
MODAL_SEND = "Send"
MODAL_START = "Start"
MODAL_NEW_REQUEST = "New request"
MODAL_WHAT_DO_YOU_NEED = "What do you need?"
MODAL_WHY_REJECT = "Why are you rejecting it?"
MODAL_WHAT_TO_KNOW = "What do you need to know?"
MODAL_STEP = "{ref} · step {seq}"
MODAL_SAVING = "Saving"
MODAL_CHECKING = "Checking your changes…"
MODAL_SAVED = "Saved"
MODAL_SAVED_TEXT = "Your changes are saved. I've answered in our conversation."
CONTINUE_IN_DM = "Got it — I'll continue in our direct messages."
TEAMS_BUSY = "Teams is busy and I couldn't check who you are just now. Please try again in a minute."
UNKNOWN_BUTTON_PRESSED = "That button is not one I know."
REQUEST_GONE = "This request is no longer available."
DONE = "Done."
COMMENT_LABEL = "Reason or question"
COMMENT_PLACEHOLDER = "Needed for Reject and Request info"

# Approval figures asked for in chat (bot/insight/chat.py).

INSIGHT_NOT_ALLOWED = (
    "I can show approval figures to managers, to the holders of an approval role and to the people named as "
    "insight viewers; you are none of these."
)
INSIGHT_UNKNOWN_TEAM = (
    "I don't know a team called “{name}”: name a role (such as Finance), a legal entity or a cost center."
)
INSIGHT_ALL = "All approvals"
INSIGHT_YOUR_TEAM = "Your team's approvals"
INSIGHT_DECIDED = (
    "{whose}, last {weeks} weeks: {decided} decided, {within} % within SLA, median {median} business hours to decide."
)
INSIGHT_NONE_DECIDED = "{whose}: nothing decided in the last {weeks} weeks."
INSIGHT_OPEN = "Open now: {steps}, {past} past SLA, {risk} at risk of breaching within a business day."
INSIGHT_TEAM = "{decided} {waiting} Details: {link}"
INSIGHT_LATE_STEP = "{ref} ({type}, waiting {hours} business hours for {who})"
INSIGHT_NOTHING_OVERDUE = "Nothing is overdue."
INSIGHT_NOTHING_OVERDUE_IN = "Nothing is overdue in {name}."
INSIGHT_OVERDUE = "Overdue: {steps} past SLA — {shown}{more}."
INSIGHT_OVERDUE_IN = "Overdue in {name}: {steps} past SLA — {shown}{more}."
INSIGHT_AND_MORE = " and {count} more"
INSIGHT_AT_RISK = "{head} {risk} more at risk of breaching within a business day. Details: {link}"
INSIGHT_ONE_STEP = "1 step"
INSIGHT_STEPS = "{count} steps"


from bot.core.messages_es import ES  # noqa: E402, F401  (the Spanish of every sentence here; see bot/core/__init__.py)

# The weekly summary to each role's approvals room (bot/insight/weekly.py).

INSIGHT_WEEKLY = (
    "{role} approvals, {since} to {until}: {decided} decided, median {median} business hours to decide. "
    "{waiting} Details: {link}"
)
INSIGHT_WEEKLY_NONE_DECIDED = "{role} approvals, {since} to {until}: nothing decided. {waiting} Details: {link}"
