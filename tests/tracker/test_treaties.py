"""A treaty's life after signature: the pure rule (treaties.derive) on plain values, then the same
histories entered as steps on both databases, in every order hypothesis picks; what is stored on
the document (status, entry into force, expiry, termination, which side is awaited) is checked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooperation.tracker import treaties
from cooperation.tracker.models import Document, DocumentStep
from cooperation.tracker.treaties import EntryIntoForceRule, Rules, Step, StepKind, TreatyStatus, YesNoUnknown
from tests import factories

D = datetime.date
SIGNED = D(2024, 11, 19)

# --- The four histories of the issue, as rules and steps -----------------------------------------

READMISSION = Rules(
    signed_on=SIGNED,
    subject_to_procedures=YesNoUnknown.YES,
    entry_into_force_rule=EntryIntoForceRule.DAYS_AFTER_LAST_NOTIFICATION,
    entry_into_force_delay=30,
)
READMISSION_STEPS = [
    Step("RS", StepKind.INTERNAL_PROCEDURE, D(2025, 3, 4)),  # Serbia's ratification law
    Step("KZ", StepKind.INTERNAL_PROCEDURE, D(2025, 5, 20)),
    Step("RS", StepKind.NOTIFICATION_SENT, D(2025, 3, 10)),
    Step("KZ", StepKind.NOTIFICATION_SENT, D(2025, 5, 26)),
]
PROVISIONAL = Rules(
    signed_on=SIGNED,
    subject_to_procedures=YesNoUnknown.YES,
    entry_into_force_rule=EntryIntoForceRule.ON_LAST_NOTIFICATION,
)
PROVISIONAL_STEPS = [
    Step("KZ", StepKind.PROVISIONAL_START, D(2024, 12, 1)),
    Step("RS", StepKind.PROVISIONAL_START, D(2024, 12, 1)),
    Step("RS", StepKind.INTERNAL_PROCEDURE, D(2025, 2, 1)),
]
RENEWED = Rules(
    signed_on=D(2015, 6, 1),
    subject_to_procedures=YesNoUnknown.NO,
    entry_into_force_rule=EntryIntoForceRule.ON_SIGNATURE,
    duration_months=60,
    automatic_renewal=YesNoUnknown.YES,
    renewal_months=12,
    notice_months=6,
)
DENOUNCED = Rules(
    signed_on=D(2016, 4, 1),
    subject_to_procedures=YesNoUnknown.NO,
    entry_into_force_rule=EntryIntoForceRule.ON_SIGNATURE,
    notice_months=6,
)
DENOUNCED_STEPS = [Step("RS", StepKind.DENUNCIATION, D(2025, 1, 15))]


def test_entry_into_force_30_days_after_the_second_notification():
    before = treaties.derive(READMISSION, [READMISSION_STEPS[0], READMISSION_STEPS[2]], D(2025, 4, 1))
    assert before.status == TreatyStatus.AWAITING and before.awaiting == {"KZ"}
    assert before.entry_into_force is None

    waiting = treaties.derive(READMISSION, READMISSION_STEPS, D(2025, 6, 1))
    assert waiting.entry_into_force == D(2025, 6, 25)  # 26 May + 30 days
    assert waiting.status == TreatyStatus.SIGNED and waiting.awaiting == frozenset()
    assert waiting.changes_on == D(2025, 6, 25)

    after = treaties.derive(READMISSION, READMISSION_STEPS, D(2025, 6, 25))
    assert after.status == TreatyStatus.IN_FORCE and after.expires_on is None and after.changes_on is None


def test_the_receipt_of_a_notification_is_its_date_when_recorded():
    steps = [*READMISSION_STEPS, Step("RS", StepKind.NOTIFICATION_RECEIVED, D(2025, 6, 2))]  # KZ's note arrives
    assert treaties.derive(READMISSION, steps, D(2025, 8, 1)).entry_into_force == D(2025, 7, 2)


def test_applied_provisionally_until_entry_into_force():
    state = treaties.derive(PROVISIONAL, PROVISIONAL_STEPS, D(2025, 3, 1))
    assert state.status == TreatyStatus.PROVISIONAL and state.awaiting == {"KZ"}
    done = [
        *PROVISIONAL_STEPS,
        Step("KZ", StepKind.NOTIFICATION_SENT, D(2025, 4, 2)),
        Step("RS", "notification_sent", D(2025, 2, 3)),
    ]
    assert treaties.derive(PROVISIONAL, done, D(2025, 4, 2)).status == TreatyStatus.IN_FORCE
    ended = [*PROVISIONAL_STEPS, Step("KZ", StepKind.PROVISIONAL_END, D(2025, 2, 1))]
    assert treaties.derive(PROVISIONAL, ended, D(2025, 3, 1)).status == TreatyStatus.AWAITING


def test_renewed_automatically_until_denounced():
    state = treaties.derive(RENEWED, [], D(2022, 1, 1))
    assert state.entry_into_force == D(2015, 6, 1) and state.status == TreatyStatus.IN_FORCE
    assert state.expires_on == D(2022, 6, 1)  # 2020-06-01, renewed for a year, twice
    assert treaties.derive(RENEWED, [], D(2040, 7, 1)).expires_on == D(2041, 6, 1)
    # Notice on 1 March 2024 is under six months before 1 June 2024: the treaty runs to June 2025.
    denounced = treaties.derive(RENEWED, [Step("KZ", StepKind.DENUNCIATION, D(2024, 3, 1))], D(2025, 6, 1))
    assert denounced.ended_on == D(2025, 6, 1) and denounced.status == TreatyStatus.TERMINATED


def test_expired_without_renewal():
    rules = Rules(signed_on=D(2018, 1, 10), entry_into_force_rule=EntryIntoForceRule.ON_SIGNATURE, duration_months=36)
    state = treaties.derive(rules, [], D(2024, 1, 1))
    assert state.status == TreatyStatus.EXPIRED and state.expires_on == D(2021, 1, 10)


def test_denounced_takes_effect_after_the_notice_period():
    in_force = treaties.derive(DENOUNCED, DENOUNCED_STEPS, D(2025, 3, 1))
    assert in_force.status == TreatyStatus.IN_FORCE and in_force.ended_on == D(2025, 7, 15)
    assert treaties.derive(DENOUNCED, DENOUNCED_STEPS, D(2025, 7, 15)).status == TreatyStatus.TERMINATED
    explicit = [Step("RS", StepKind.DENUNCIATION, D(2025, 1, 15), D(2025, 3, 1))]
    assert treaties.derive(DENOUNCED, explicit, D(2025, 3, 1)).status == TreatyStatus.TERMINATED


def test_suspended_and_lifted():
    steps = [Step("KZ", StepKind.SUSPENSION, D(2020, 1, 1))]
    assert treaties.derive(DENOUNCED, steps, D(2021, 1, 1)).status == TreatyStatus.SUSPENDED
    steps.append(Step("KZ", StepKind.SUSPENSION_LIFTED, D(2020, 6, 1)))
    assert treaties.derive(DENOUNCED, steps, D(2021, 1, 1)).status == TreatyStatus.IN_FORCE


def test_nothing_reported_means_signed_and_nothing_awaited():
    state = treaties.derive(Rules(signed_on=SIGNED), [], D(2026, 1, 1))
    assert state == treaties.TreatyState(status=TreatyStatus.SIGNED, signed_on=SIGNED)
    assert treaties.derive(Rules(), [], D(2026, 1, 1)).status == TreatyStatus.PLANNED
    stage = Rules(stage_before_signature=TreatyStatus.UNDER_NEGOTIATION)
    assert treaties.derive(stage, [], D(2026, 1, 1)).status == TreatyStatus.UNDER_NEGOTIATION


def test_add_months_keeps_the_end_of_the_month_and_the_calendar():
    assert treaties.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert treaties.add_months(D(9999, 12, 1), 5).year == 9999


HISTORIES = [
    (READMISSION, READMISSION_STEPS),
    (PROVISIONAL, PROVISIONAL_STEPS),
    (RENEWED, [Step("KZ", StepKind.DENUNCIATION, D(2024, 3, 1))]),
    (DENOUNCED, DENOUNCED_STEPS + [Step("KZ", StepKind.SUSPENSION, D(2020, 1, 1))]),
]


@given(
    history=st.sampled_from(HISTORIES),
    data=st.data(),
    today=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)),
)
def test_the_order_in_which_steps_arrive_does_not_matter(history, data, today):
    rules, steps = history
    shuffled = data.draw(st.permutations(steps))
    assert treaties.derive(rules, shuffled, today) == treaties.derive(rules, steps, today)


# --- On the database: steps entered one by one, state stored on the document --------------------


def document_with(rules: Rules, **kw) -> Document:
    fields = {name: getattr(rules, name) for name in Rules.__dataclass_fields__ if name != "stage_before_signature"}
    return factories.document(**fields, **kw)


def enter(document, steps):
    for step in steps:
        factories.step(document, step.side, step.kind, act_on=step.act_on, effective_on=step.effective_on)
    document.refresh_from_db()
    return document


def stored(document) -> dict:
    return {
        "status": document.status,
        "entry_into_force": document.entry_into_force,
        "expires_on": document.expires_on,
        "ended_on": document.ended_on,
        "awaiting": set(document.awaiting_sides),
    }


def expected(rules, steps, today=None) -> dict:
    state = treaties.derive(rules, steps, today or datetime.date.today())
    return {
        "status": state.status,
        "entry_into_force": state.entry_into_force,
        "expires_on": state.expires_on,
        "ended_on": state.ended_on,
        "awaiting": set(state.awaiting),
    }


@pytest.mark.django_db
def test_the_readmission_agreement_as_a_treaty_officer_enters_it():
    """Serbia's ratification law and the two notifications: the date of entry into force follows."""
    document = document_with(READMISSION)
    assert document.status == TreatyStatus.AWAITING and document.awaiting_sides == ["KZ", "RS"]
    assert Document.objects.awaiting("KZ").filter(pk=document.pk).exists()
    factories.step(document, "RS", StepKind.INTERNAL_PROCEDURE, act_on=D(2025, 3, 4), procedure_kind="ratification")
    document.refresh_from_db()
    assert document.awaiting_sides == ["KZ"] and not Document.objects.awaiting("RS").filter(pk=document.pk).exists()
    factories.step(document, "RS", StepKind.NOTIFICATION_SENT, act_on=D(2025, 3, 10), note_number="45/2025")
    factories.step(document, "KZ", StepKind.NOTIFICATION_SENT, act_on=D(2025, 5, 26))
    document.refresh_from_db()
    assert document.entry_into_force == D(2025, 6, 25)
    assert document.status == TreatyStatus.IN_FORCE and document.awaiting_sides == []
    assert Document.objects.in_force().filter(pk=document.pk).exists()
    assert document.history.count() == 1, "a derived change is not a staff edit"


@pytest.mark.django_db
@pytest.mark.parametrize("rules, steps", HISTORIES)
def test_each_history_is_stored_as_derived(rules, steps):
    document = enter(document_with(rules), steps)
    assert stored(document) == expected(rules, steps)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.sampled_from(HISTORIES), data=st.data())
def test_steps_entered_in_any_order_store_the_same_state(history, data):
    rules, steps = history
    document = enter(document_with(rules), data.draw(st.permutations(steps)))
    assert stored(document) == expected(rules, steps)
    # Deleting them again, in any order, goes back to the state without steps.
    for step in data.draw(st.permutations(list(document.steps.all()))):
        step.delete()
    document.refresh_from_db()
    assert stored(document) == expected(rules, [])


@pytest.mark.django_db
def test_changing_the_rules_rederives_the_state():
    document = enter(document_with(READMISSION), READMISSION_STEPS)
    document.entry_into_force_rule = EntryIntoForceRule.MONTHS_AFTER_LAST_NOTIFICATION
    document.entry_into_force_delay = 2
    document.save()
    document.refresh_from_db()
    assert document.entry_into_force == D(2025, 7, 26)


@pytest.mark.django_db
def test_a_step_moved_to_another_document_rederives_both():
    first, second = document_with(DENOUNCED), document_with(DENOUNCED)
    step = factories.step(first, "RS", StepKind.TERMINATION, act_on=D(2020, 1, 1))
    first.refresh_from_db()
    assert first.status == TreatyStatus.TERMINATED
    step.document = second
    step.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TreatyStatus.IN_FORCE and second.status == TreatyStatus.TERMINATED


@pytest.mark.django_db
def test_the_daily_refresh_moves_a_state_whose_date_arrived():
    from django.core.management import call_command

    document = enter(document_with(READMISSION), READMISSION_STEPS)
    Document.objects.filter(pk=document.pk).refresh_treaty_state(today=D(2025, 6, 1))
    document.refresh_from_db()
    assert document.status == TreatyStatus.SIGNED and document.state_changes_on == D(2025, 6, 25)
    assert list(Document.objects.due_for_treaty_refresh()) == [document]
    call_command("refresh_treaties", verbosity=0)
    document.refresh_from_db()
    assert document.status == TreatyStatus.IN_FORCE and document.state_changes_on is None


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clean_explains_what_is_wrong_with_a_step():
    document = factories.document(signed_on=D(2024, 11, 19))
    uzbekistan = factories.country("UZ", "Uzbekistan")
    with pytest.raises(ValidationError) as error:
        DocumentStep(document=document, side=uzbekistan, kind="internal_procedure", act_on=D(2024, 1, 1)).full_clean()
    assert set(error.value.message_dict) == {"side", "act_on"}
    unsigned = factories.document(signed_on=None, stage_before_signature="negotiation")
    assert unsigned.status == TreatyStatus.UNDER_NEGOTIATION
    with pytest.raises(ValidationError, match="signing date first"):
        DocumentStep(
            document=unsigned, side=factories.country("KZ"), kind="notification_sent", act_on=SIGNED
        ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "internal_procedure"},  # no date
        {"kind": "internal_procedure", "act_on": D(2025, 2, 1), "effective_on": D(2025, 1, 1)},
        {"kind": "notification_sent", "act_on": D(2025, 2, 1), "procedure_kind": "ratification"},
        {"kind": "internal_procedure", "act_on": D(2025, 2, 1), "note_number": "12"},
        {"kind": "amendment", "act_on": D(2025, 2, 1)},
    ],
)
def test_the_database_refuses_an_incoherent_step(fields):
    document = factories.document()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentStep.objects.bulk_create([DocumentStep(document=document, side=factories.country("KZ"), **fields)])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"entry_into_force_rule": "days_after_notification"},  # no number of days
        {"entry_into_force_rule": "on_signature", "entry_into_force_delay": 3},
        {"entry_into_force_rule": "fixed_date"},
        {"renewal_months": 12},
        {"automatic_renewal": "yes"},
    ],
)
def test_the_database_refuses_incoherent_rules(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.document(**fields)
