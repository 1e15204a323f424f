"""The legal deadlines of a case, computed in Ukrainian working days."""

from datetime import date

from core.workdays import WorkCalendar
from whistleblowers.choices import CaseStatus
from whistleblowers.deadlines import CaseDates, case_deadlines, next_deadline
from whistleblowers.models import CaseRules

RULES = CaseRules()  # the defaults of domain §6, unsaved


def by_key(deadlines):
    return {deadline.key: deadline for deadline in deadlines}


def test_the_preliminary_review_is_due_ten_working_days_after_receipt_skipping_weekends():
    deadlines = by_key(case_deadlines(CaseDates(date(2024, 2, 5), CaseStatus.RECEIVED), RULES, today=date(2024, 2, 6)))

    assert deadlines["preliminary_review"].due == date(2024, 2, 19)
    assert deadlines["preliminary_review"].state == "open"


def test_the_preliminary_review_skips_the_new_year_holidays_of_2021():
    deadlines = by_key(
        case_deadlines(CaseDates(date(2020, 12, 31), CaseStatus.RECEIVED), RULES, today=date(2021, 1, 4))
    )

    assert deadlines["preliminary_review"].due == date(2021, 1, 18)


def test_a_configurable_calendar_counts_suspended_holidays_as_days_off():
    case = CaseDates(date(2024, 12, 16), CaseStatus.RECEIVED)

    wartime = by_key(case_deadlines(case, RULES, today=date(2024, 12, 16)))
    peacetime = by_key(
        case_deadlines(
            case, RULES, today=date(2024, 12, 16), calendar=WorkCalendar(suspended_holidays_are_days_off=True)
        )
    )

    assert wartime["preliminary_review"].due == date(2024, 12, 30)
    assert peacetime["preliminary_review"].due == date(2024, 12, 31)


def test_a_missed_review_is_overdue_and_a_finished_one_is_done():
    received = CaseDates(date(2024, 2, 5), CaseStatus.PRELIMINARY_REVIEW)
    reviewed = CaseDates(date(2024, 2, 5), CaseStatus.VERIFICATION, verification_started_on=date(2024, 2, 16))

    assert by_key(case_deadlines(received, RULES, today=date(2024, 2, 20)))["preliminary_review"].overdue
    assert by_key(case_deadlines(reviewed, RULES, today=date(2024, 2, 20)))["preliminary_review"].done


def test_a_deadline_within_two_working_days_is_due_soon():
    deadlines = by_key(case_deadlines(CaseDates(date(2024, 2, 5), CaseStatus.RECEIVED), RULES, today=date(2024, 2, 15)))

    assert deadlines["preliminary_review"].state == "due-soon"


def test_a_report_about_the_head_must_be_forwarded_within_three_days_ending_on_a_working_day():
    case = CaseDates(date(2024, 3, 6), CaseStatus.RECEIVED, concerns_head=True)  # Wednesday; +3 = Saturday

    deadlines = by_key(case_deadlines(case, RULES, today=date(2024, 3, 6)))

    assert deadlines["forward_about_head"].due == date(2024, 3, 11)


def test_an_extended_verification_runs_forty_five_days():
    case = CaseDates(
        date(2024, 2, 5), CaseStatus.VERIFICATION, verification_started_on=date(2024, 2, 16), verification_extended=True
    )

    deadlines = by_key(case_deadlines(case, RULES, today=date(2024, 2, 20)))

    assert deadlines["verification"].due == date(2024, 4, 1)  # 31.03 is a Sunday


def test_after_closing_the_whistleblower_must_be_told_within_three_days():
    case = CaseDates(
        date(2024, 2, 5),
        CaseStatus.CLOSED,
        verification_started_on=date(2024, 2, 16),
        closed_on=date(2024, 3, 1),
    )

    deadlines = by_key(case_deadlines(case, RULES, today=date(2024, 3, 2)))

    assert deadlines["verification"].done
    assert deadlines["result_notice"].due == date(2024, 3, 4)
    assert next_deadline(list(deadlines.values())).key == "result_notice"


def test_signs_of_an_offence_must_be_notified_within_24_hours_even_over_a_weekend():
    found_on_friday = date(2024, 3, 8)
    case = CaseDates(date(2024, 3, 4), CaseStatus.VERIFICATION, offence_signs_found_on=found_on_friday)

    notice = by_key(case_deadlines(case, RULES, today=date(2024, 3, 11)))["offence_notice"]

    assert notice.due == date(2024, 3, 9)
    assert notice.overdue


def test_forwarding_after_the_signs_were_found_meets_the_offence_notice():
    case = CaseDates(
        date(2024, 3, 4),
        CaseStatus.FORWARDED,
        offence_signs_found_on=date(2024, 3, 8),
        first_forwarded_on=date(2024, 3, 9),
    )

    notice = by_key(case_deadlines(case, RULES, today=date(2024, 3, 11)))["offence_notice"]

    assert notice.done
    assert "offence_notice" not in by_key(
        case_deadlines(CaseDates(date(2024, 3, 4), CaseStatus.RECEIVED), RULES, today=date(2024, 3, 11))
    )
