"""A unit reporter keeps their history: «Мої звіти» lists every quarter with its progress, marks late ones, keeps
approved quarters readable; tabs they may not open are not shown."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from reports.execution.grid import reporter_periods
from reports.execution.period_services import period_approve, period_send_for_review
from tests.reports.conftest import GAPS_ACCEPTED, approval_decision

pytestmark = pytest.mark.django_db


def test_each_quarter_shows_the_reporters_progress_and_late_ones_are_marked(program_content, reporter):
    first, second = program_content.periods

    items = {item.period.pk: item for item in reporter_periods(user=reporter, today=date(2023, 4, 20))}

    # УП's measures: «unit_quarter» submitted and «shared_event» (every period) not; «unit_year» not due yet.
    assert (items[first.pk].due, items[first.pk].submitted) == (2, 1)
    assert items[first.pk].late  # due 15.04.2023
    assert not items[second.pk].late  # due 15.07.2023
    assert (items[second.pk].due, items[second.pk].submitted) == (1, 0)


def test_approved_quarters_stay_listed_read_only(program_content, reporter, secretary, commission, login):
    first = program_content.periods[0]
    period_send_for_review(user=secretary, period=first)
    period_approve(user=commission, period=first, decision=approval_decision(first), incomplete_reason=GAPS_ACCEPTED)

    html = login("reporter").get(reverse("reports:my-periods")).content.decode()

    row = html.split(f'data-period="{first.pk}"')[1].split("</tr>")[0]
    assert "лише перегляд" in row
    assert "Затверджено" in row
    assert login("reporter").get(reverse("reports:period", args=[first.pk])).status_code == 200


def test_the_page_marks_late_quarters_and_open_ones_come_first(program_content, login):
    html = login("reporter").get(reverse("reports:my-periods")).content.decode()

    first, second = program_content.periods
    assert html.index(f'data-period="{first.pk}"') < html.index(f'data-period="{second.pk}"')
    assert "data-late" in html.split(f'data-period="{first.pk}"')[1].split("</tr>")[0]
    assert "Подано 1 з 2" in html


def test_the_list_reads_a_fixed_number_of_queries(program_content, reporter, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        reporter_periods(user=reporter)


@pytest.mark.parametrize(("persona", "shown"), [("reporter", False), ("officer", False), ("commission", True)])
def test_the_review_tab_is_shown_only_to_those_who_may_open_it(program_content, login, persona, shown):
    period = program_content.periods[0]
    client = login(persona)

    html = client.get(reverse("reports:period", args=[period.pk])).content.decode()
    review = client.get(reverse("reports:review", args=[period.pk]))

    assert (reverse("reports:review", args=[period.pk]) in html) is shown
    assert review.status_code == (200 if shown else 403)
