"""A treaty's life after its signature, derived in one pure function (`derive`) from the document's
own rules (its entry-into-force clause, duration, renewal, notice period) and the steps each side
has recorded (internal procedures, notifications, provisional application, suspension,
denunciation, …). Nothing here reads the database: the models feed it and store what it returns
(models/treaties.py), so the rules are tested on plain values.

The vocabulary follows treaty offices' practice (UK Treaties Online keeps one action per party
with the date of the act and the date it takes effect).
"""

import calendar
import dataclasses
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The sides of the relationship this tracker records (README "Treaties"): each has its own
# stored "awaiting" column, so that the public filter reads an index.
SIDES = ("KZ", "RS")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    NOT_REPORTED = "not_reported", _("not reported")


class EntryIntoForceRule(models.TextChoices):
    NOT_REPORTED = "not_reported", _("not reported")
    ON_SIGNATURE = "on_signature", _("on signature")
    ON_LAST_NOTIFICATION = "on_last_notification", _("on the date of the last notification")
    DAYS_AFTER_LAST_NOTIFICATION = "days_after_notification", _("a number of days after the last notification")
    MONTHS_AFTER_LAST_NOTIFICATION = "months_after_notification", _("a number of months after the last notification")
    FIXED_DATE = "fixed_date", _("on a fixed date")


class StepKind(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    INTERNAL_PROCEDURE = "internal_procedure", _("internal procedures completed")
    NOTIFICATION_SENT = "notification_sent", _("notification of completion sent")
    NOTIFICATION_RECEIVED = "notification_received", _("notification of completion received")
    INSTRUMENTS = "instruments", _("exchange or deposit of instruments")
    PROVISIONAL_START = "provisional_start", _("provisional application begins")
    PROVISIONAL_END = "provisional_end", _("provisional application ends")
    ENTRY_INTO_FORCE = "entry_into_force", _("entry into force")
    SUSPENSION = "suspension", _("suspension")
    SUSPENSION_LIFTED = "suspension_lifted", _("suspension lifted")
    DENUNCIATION = "denunciation", _("denunciation (notice given)")
    TERMINATION = "termination", _("termination")
    AMENDMENT = "amendment", _("amendment")


class ProcedureKind(models.TextChoices):
    RATIFICATION = "ratification", _("ratification")
    APPROVAL = "approval", _("approval")
    ACCEPTANCE = "acceptance", _("acceptance")
    GOVERNMENT_DECISION = "government_decision", _("government decision or decree")


class TreatyStatus(models.TextChoices):
    """A signed document's lifecycle; before signature the staff's stage (planned, negotiation)."""

    PLANNED = "planned", _("planned")
    UNDER_NEGOTIATION = "negotiation", _("under negotiation")
    SIGNED = "signed", _("signed")
    AWAITING = "awaiting", _("awaiting internal procedures")
    PROVISIONAL = "provisional", _("applied provisionally")
    IN_FORCE = "in_force", _("in force")
    SUSPENDED = "suspended", _("suspended")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


BEFORE_SIGNATURE = (TreatyStatus.PLANNED, TreatyStatus.UNDER_NEGOTIATION)
# Signed, and not (or not yet) in force: the status report's "Signed, not yet in force".
NOT_YET_IN_FORCE = (TreatyStatus.SIGNED, TreatyStatus.AWAITING, TreatyStatus.PROVISIONAL)

# What counts as a side's notice that its internal procedures are complete (the other side's
# receipt of it is recorded as a NOTIFICATION_RECEIVED step of the other side).
COMPLETION_KINDS = (StepKind.INTERNAL_PROCEDURE, StepKind.NOTIFICATION_SENT, StepKind.INSTRUMENTS)


@dataclasses.dataclass(frozen=True)
class Rules:
    """The document's own clauses."""

    signed_on: datetime.date | None = None
    stage_before_signature: str = TreatyStatus.PLANNED
    subject_to_procedures: str = YesNoUnknown.NOT_REPORTED
    entry_into_force_rule: str = EntryIntoForceRule.NOT_REPORTED
    entry_into_force_delay: int | None = None  # days or months, per the rule
    entry_into_force_fixed_on: datetime.date | None = None
    duration_months: int | None = None  # None: indefinite
    automatic_renewal: str = YesNoUnknown.NOT_REPORTED
    renewal_months: int | None = None  # None: periods as long as the first
    notice_months: int | None = None


@dataclasses.dataclass(frozen=True)
class Step:
    side: str  # ISO code
    kind: str
    act_on: datetime.date | None = None  # the date of the act (the notice, the law, the note)
    effective_on: datetime.date | None = None  # the date it takes effect, if different

    @property
    def date(self) -> datetime.date | None:
        return self.effective_on or self.act_on


@dataclasses.dataclass(frozen=True)
class TreatyState:
    status: str
    signed_on: datetime.date | None = None
    entry_into_force: datetime.date | None = None
    expires_on: datetime.date | None = None  # end of the (current) period; None if indefinite
    ended_on: datetime.date | None = None  # termination or denunciation takes effect
    awaiting: frozenset = frozenset()  # sides whose internal procedures are still to be recorded
    # The next day on which `status` changes by itself (a date in a clause arrives): the stored
    # state is refreshed then (`manage.py refresh_treaties`, daily).
    changes_on: datetime.date | None = None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, the 31st becoming the month's last day. (The standard
    library has no month arithmetic; one function does not justify python-dateutil.)"""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_days(day: datetime.date, days: int) -> datetime.date:
    ordinal = min(max(day.toordinal() + days, 1), datetime.date.max.toordinal())
    return datetime.date.fromordinal(ordinal)


def _earliest(dates) -> datetime.date | None:
    dates = [day for day in dates if day]
    return min(dates) if dates else None


def _latest(dates) -> datetime.date | None:
    dates = [day for day in dates if day]
    return max(dates) if dates else None


def _notification_dates(steps: list[Step]) -> dict[str, datetime.date]:
    """Each side's notice of completion: received by the other side if recorded, else sent (or the
    exchange or deposit of its instrument)."""
    dates = {}
    for side in SIDES:
        received = _earliest(
            step.date for step in steps if step.kind == StepKind.NOTIFICATION_RECEIVED and step.side != side
        )
        sent = _earliest(
            step.date
            for step in steps
            if step.side == side and step.kind in (StepKind.NOTIFICATION_SENT, StepKind.INSTRUMENTS)
        )
        if received or sent:
            dates[side] = received or sent
    return dates


def _in_window(today, start, end) -> bool:
    return bool(start and start <= today and (end is None or end > today))


def _window(steps, start_kind, end_kind):
    """The latest start of a window (provisional application, suspension) and its end, if any."""
    start = _latest(step.date for step in steps if step.kind == start_kind)
    end = _earliest(step.date for step in steps if step.kind == end_kind and start and step.date and step.date >= start)
    return start, end


def entry_into_force(rules: Rules, steps: list[Step], signed_on) -> datetime.date | None:
    """A recorded entry into force wins (the source says so); else the clause, once its facts are in."""
    recorded = _latest(step.date for step in steps if step.kind == StepKind.ENTRY_INTO_FORCE)
    if recorded:
        return recorded
    rule = rules.entry_into_force_rule
    if rule == EntryIntoForceRule.ON_SIGNATURE:
        return signed_on
    if rule == EntryIntoForceRule.FIXED_DATE:
        return rules.entry_into_force_fixed_on
    notified = _notification_dates(steps)
    if rule not in (
        EntryIntoForceRule.ON_LAST_NOTIFICATION,
        EntryIntoForceRule.DAYS_AFTER_LAST_NOTIFICATION,
        EntryIntoForceRule.MONTHS_AFTER_LAST_NOTIFICATION,
    ) or set(notified) != set(SIDES):
        return None
    last = max(notified.values())
    delay = rules.entry_into_force_delay or 0
    if rule == EntryIntoForceRule.DAYS_AFTER_LAST_NOTIFICATION:
        return add_days(last, delay)
    if rule == EntryIntoForceRule.MONTHS_AFTER_LAST_NOTIFICATION:
        return add_months(last, delay)
    return last


def _period_ends(rules: Rules, start: datetime.date):
    """The ends of the validity periods from `start`: the first, then each renewal."""
    if not rules.duration_months:
        return
    end = add_months(start, rules.duration_months)
    yield end
    if rules.automatic_renewal != YesNoUnknown.YES:
        return
    step = rules.renewal_months or rules.duration_months
    while end.year < 9999:
        end = add_months(end, step)
        yield end


def _ended_on(rules: Rules, steps: list[Step], in_force_on) -> datetime.date | None:
    """When a termination or denunciation takes effect: the date recorded, else for a denunciation
    the notice period after the notice, or, for a treaty renewed automatically, the end of the
    first period that the notice reaches in time."""
    ends = [step.date for step in steps if step.kind == StepKind.TERMINATION]
    for step in steps:
        if step.kind != StepKind.DENUNCIATION:
            continue
        if step.effective_on:
            ends.append(step.effective_on)
        elif step.act_on and rules.notice_months is not None:
            earliest_end = add_months(step.act_on, rules.notice_months)
            if rules.automatic_renewal == YesNoUnknown.YES and in_force_on and rules.duration_months:
                ends.append(next((end for end in _period_ends(rules, in_force_on) if end >= earliest_end), None))
            else:
                ends.append(earliest_end)
    return _earliest(ends)


def derive(rules: Rules, steps: list[Step], today: datetime.date) -> TreatyState:
    """The document's state on `today`, from its rules and its steps (in any order)."""
    steps = [step for step in steps if step.side in SIDES and step.date]
    if rules.signed_on is None:  # a side's signature alone does not make the document signed
        return TreatyState(status=rules.stage_before_signature or TreatyStatus.PLANNED)
    # Signed on the document's date, or on the later signature of a side that signed apart.
    signed_on = _latest([rules.signed_on, *(step.date for step in steps if step.kind == StepKind.SIGNATURE)])
    in_force_on = entry_into_force(rules, steps, signed_on)
    ended_on = _ended_on(rules, steps, in_force_on)
    expires_on = None
    if in_force_on:
        expires_on = next((end for end in _period_ends(rules, in_force_on) if end > today), None)
        if expires_on is None and rules.duration_months:  # not renewed: the last period ended
            expires_on = add_months(in_force_on, rules.duration_months)
    completed = {step.side for step in steps if step.kind in COMPLETION_KINDS} | set(_notification_dates(steps))
    awaiting = frozenset()
    if rules.subject_to_procedures == YesNoUnknown.YES and not (in_force_on and in_force_on <= today):
        awaiting = frozenset(side for side in SIDES if side not in completed)
    provisional = _window(steps, StepKind.PROVISIONAL_START, StepKind.PROVISIONAL_END)
    suspended = _window(steps, StepKind.SUSPENSION, StepKind.SUSPENSION_LIFTED)

    if ended_on and ended_on <= today:
        status = TreatyStatus.TERMINATED
    elif expires_on and expires_on <= today:
        status = TreatyStatus.EXPIRED
    elif in_force_on and in_force_on <= today:
        status = TreatyStatus.SUSPENDED if _in_window(today, *suspended) else TreatyStatus.IN_FORCE
    elif _in_window(today, *provisional):
        status = TreatyStatus.PROVISIONAL
    elif awaiting:
        status = TreatyStatus.AWAITING
    else:
        status = TreatyStatus.SIGNED
    upcoming = [in_force_on, expires_on, ended_on, *provisional, *suspended]
    return TreatyState(
        status=status,
        signed_on=signed_on,
        entry_into_force=in_force_on,
        expires_on=expires_on,
        ended_on=ended_on,
        awaiting=awaiting,
        changes_on=_earliest(day for day in upcoming if day and day > today),
    )
