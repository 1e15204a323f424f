"""The dashboard's numbers, computed from the fixture program whose rows the tests know one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from core.periods import PeriodKind
from core.roles import Role
from reports.choices import ExecutionStatus
from reports.dashboard import selectors as dashboard
from tests.factories import (
    ExecutionEntryFactory,
    MembershipFactory,
    ProgramFactory,
    ReportingPeriodFactory,
    WhistleblowerReportFactory,
)
from whistleblowers.choices import CaseStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 5, 15)


def test_the_summary_counts_each_measure_once_by_its_status_in_the_period(manager, program_content):
    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0], today=TODAY
    )

    # Five measures: one done, one in progress, two due and unreported (event measures), one due later in the year.
    assert summary["total"] == 5
    assert summary["statuses"]["done"] == 1
    assert summary["statuses"]["in_progress"] == 1
    assert summary["statuses"]["missing"] == 2
    assert summary["statuses"]["not_due"] == 1
    assert summary["due"] == 3
    assert summary["share_done"] == pytest.approx(33.3)


def test_units_that_have_not_submitted_are_those_with_due_measures_lacking_a_submitted_entry(manager, program_content):
    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0], today=TODAY
    )

    lagging = {item["abbreviation"]: item["outstanding"] for item in summary["units_not_submitted"]}
    assert lagging == {"УКЕС": 2, "УП": 1}


def test_a_measure_past_its_due_date_and_not_done_is_overdue_with_a_link_to_the_measure(manager, program_content):
    measure = program_content.measures["unit_quarter"]
    entry = program_content.entries["unit_quarter"]
    entry.status = ExecutionStatus.NOT_DONE
    entry.save()

    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0], today=TODAY
    )

    assert [item["measure"] for item in summary["overdue"]] == [measure.pk]
    assert summary["overdue"][0]["url"] == f"/programs/{program_content.program.pk}/measures/{measure.pk}/"
    assert summary["overdue"][0]["due_on"] == dt.date(2023, 3, 31)


def test_nothing_is_overdue_before_its_due_date_passes(manager, program_content):
    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0], today=dt.date(2023, 3, 1)
    )

    assert summary["overdue"] == []


def test_the_unit_filter_keeps_only_the_measures_of_that_unit(manager, program_content, other_unit):
    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0], unit=other_unit
    )

    assert summary["total"] == 3
    assert [bucket["abbreviation"] for bucket in summary["by_unit"]] == ["УКЕС", "УП"]  # the shared measure
    assert summary["statuses"]["in_progress"] == 1


def test_a_unit_reporter_sees_only_the_numbers_of_their_own_measures(reporter, program_content):
    summary = dashboard.program_summary(
        user=reporter, program=program_content.program, period=program_content.periods[0]
    )

    assert summary["total"] == 3


@pytest.fixture
def manager_elsewhere_reporter_here(program_content, other_organisation, reporter_unit):
    """A manager of an unrelated body (so the dashboard opens for them) who reports for one unit here."""
    user = MembershipFactory(organisation=other_organisation, role=Role.MANAGER).user
    MembershipFactory(
        user=user, organisation=program_content.program.organisation, role=Role.REPORTER, unit=reporter_unit
    )
    return user


def test_a_manager_elsewhere_who_reports_here_gets_only_the_numbers_of_their_units(
    manager_elsewhere_reporter_here, reporter, manager, program_content
):
    program, period = program_content.program, program_content.periods[0]

    def numbers(user):
        summary = dashboard.program_summary(user=user, program=program, period=period, today=TODAY)
        trend = dashboard.program_trend(user=user, program=program)
        return summary["total"], summary["statuses"], summary["overdue"], [point["total"] for point in trend["points"]]

    assert numbers(manager_elsewhere_reporter_here) == numbers(reporter)
    assert numbers(reporter)[0] == 3
    assert numbers(manager)[0] > numbers(reporter)[0]  # the body's manager reads the whole program


def test_sections_and_risk_levels_split_the_same_measures(manager, program_content):
    summary = dashboard.program_summary(
        user=manager, program=program_content.program, period=program_content.periods[0]
    )

    assert sum(bucket["total"] for bucket in summary["by_section"]) == summary["total"]
    assert sum(bucket["total"] for bucket in summary["by_risk_level"]) == summary["total"]
    levels = {bucket["level"]: bucket["total"] for bucket in summary["by_risk_level"]}
    # Two measures treat the high risk (one of them also the low one); one treats the low risk; two treat none.
    assert levels == {"high": 2, "low": 1, "none": 2}


def test_the_trend_has_a_point_per_quarter_and_a_later_entry_moves_the_share_done(manager, program_content):
    ExecutionEntryFactory(
        measure=program_content.measures["shared_event"], period=program_content.periods[1], status="done"
    )

    trend = dashboard.program_trend(user=manager, program=program_content.program)

    assert [point["period"] for point in trend["points"]] == [period.pk for period in program_content.periods]
    assert trend["points"][1]["done"] == 1
    assert trend["points"][0]["done"] == 1


def test_a_half_year_takes_the_latest_quarter_entry_of_its_span(manager, program_content):
    from tests.factories import ReportingPeriodFactory

    half = ReportingPeriodFactory(program=program_content.program, kind="half_year", year=2023, number=1)
    ExecutionEntryFactory(
        measure=program_content.measures["unit_quarter"], period=program_content.periods[1], status="not_done"
    )

    summary = dashboard.program_summary(user=manager, program=program_content.program, period=half)

    assert summary["statuses"]["not_done"] == 1
    assert summary["statuses"]["in_progress"] == 1


def test_the_heat_map_counts_risks_per_cell_before_and_after_treatment(manager, program_content):
    high = program_content.risks[0]
    matrix = program_content.program.risk_matrix
    high.residual_probability = matrix.probabilities.get(score=1)
    high.residual_consequence = matrix.consequences.get(score=1)
    high.save()

    heatmap = dashboard.risk_heatmap(user=manager, program=program_content.program)

    cells = {(c["probability"], c["consequence"]): c for row in heatmap["inherent"] for c in row}
    assert cells[(3, 3)]["count"] == 1
    assert cells[(3, 3)]["level"] == "high"
    assert cells[(1, 2)]["count"] == 1
    residual = {(c["probability"], c["consequence"]): c["count"] for row in heatmap["residual"] for c in row}
    assert residual[(1, 1)] == 1
    assert heatmap["not_reassessed"] == 1
    assert heatmap["inherent_by_level"] == {"high": 1, "low": 1}
    assert [level["code"] for level in heatmap["levels"]] == ["low", "medium", "high"]


def test_a_reporter_sees_an_empty_heat_map_because_the_register_is_not_theirs(reporter, program_content):
    assert dashboard.risk_heatmap(user=reporter, program=program_content.program)["total"] == 0


def _report(organisation, **fields):
    return WhistleblowerReportFactory(organisation=organisation, registered=True, **fields)


def test_whistleblower_statistics_give_counts_and_the_median_working_days_to_review(manager, organisation):
    monday = dt.datetime(2024, 2, 5, 10, tzinfo=dt.UTC)
    _report(
        organisation, received_at=monday, status=CaseStatus.VERIFICATION, verification_started_on=dt.date(2024, 2, 7)
    )
    _report(organisation, received_at=monday, status=CaseStatus.ORDINARY_APPEAL, status_changed_on=dt.date(2024, 2, 9))
    _report(organisation, received_at=monday, status=CaseStatus.ORDINARY_APPEAL, status_changed_on=dt.date(2024, 2, 13))
    _report(organisation, received_at=monday)  # still awaiting review, far past its ten working days

    stats = dashboard.whistleblower_statistics(user=manager, today=dt.date(2024, 3, 29))

    assert stats["received"] == 4
    assert {row["status"]: row["count"] for row in stats["by_status"]}["ordinary_appeal"] == 2
    assert stats["reviewed"] == 3
    assert stats["median_review_working_days"] == 4  # 2, 4 and 6 working days after Monday 05.02.2024
    assert stats["overdue"] >= 1


def test_an_offence_not_notified_within_24_hours_counts_as_overdue(manager, organisation):
    monday = dt.datetime(2024, 2, 5, 10, tzinfo=dt.UTC)
    _report(
        organisation,
        received_at=monday,
        status=CaseStatus.VERIFICATION,
        verification_started_on=dt.date(2024, 2, 6),
        offence_signs_found_on=dt.date(2024, 2, 7),
    )

    on_time = dashboard.whistleblower_statistics(user=manager, today=dt.date(2024, 2, 8))
    late = dashboard.whistleblower_statistics(user=manager, today=dt.date(2024, 2, 9))

    assert on_time["overdue"] == 0
    assert late["overdue"] == 1


def test_whistleblower_statistics_never_count_another_organisations_reports(manager, other_organisation):
    _report(other_organisation)

    assert dashboard.whistleblower_statistics(user=manager)["received"] == 0


def test_the_default_period_is_the_latest_quarter_that_has_begun(manager, program_content, more_periods):
    periods = list(dashboard.dashboard_periods(user=manager, program=program_content.program))

    assert dashboard.default_period(periods, today=dt.date(2023, 8, 1)) == more_periods[0]
    assert dashboard.default_period(periods, today=dt.date(2022, 8, 1)) == program_content.periods[0]


def test_a_program_just_entered_without_measures_has_empty_numbers_not_an_error(manager, organisation):
    """Day one: a program typed in, its quarters made, no measure yet."""
    program = ProgramFactory(organisation=organisation)
    quarter = ReportingPeriodFactory(program=program, kind=PeriodKind.QUARTER, year=2023, number=1)

    summary = dashboard.program_summary(user=manager, program=program, period=quarter, today=TODAY)
    trend = dashboard.program_trend(user=manager, program=program)

    assert (summary["total"], summary["overdue"], summary["by_section"], summary["by_unit"]) == (0, [], [], [])
    assert [(point["period"], point["total"]) for point in trend["points"]] == [(quarter.pk, 0)]
