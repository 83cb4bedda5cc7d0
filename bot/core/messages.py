"""Every sentence the bot says, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

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
    return UNKNOWN_PERSON.format(contact=contact or HELP_CONTACT)


def bullet(lines: Iterable[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def refused_values(errors: dict[str, str]) -> str:
    return "I couldn't use some of that: " + " ".join(errors.values())


def duration(span: timedelta) -> str:
    """A span as people say it: "a few minutes", "45 minutes", "2 hours", "3 days"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 5:
        return "a few minutes"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = minutes // 60
    if hours < 48:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours // 24} days"


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def still_needed(title: str, needed: list[str]) -> str:
    """The lead of the answer to "what else do you need?" in the middle of a form."""
    return f"To finish your {title} I still need the {listed(needed)}. "


def a_or_an(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def not_complete(needed: list[str]) -> str:
    """The lead of the answer to Confirm on a form that is not filled in yet."""
    if not needed:
        return "Nothing was submitted yet. "
    return f"Nothing was submitted yet: the form still needs the {listed(needed)}. "


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
    return f"Contact the {team} team ({contact}) if it must be stopped." if contact else ""


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
