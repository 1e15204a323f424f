import pytest

from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Антикорупційна програма Державної міграційної служби України на 2023–2025 роки"


@pytest.fixture
def demo(transactional_db):
    load_demo()


def test_the_secretary_signs_in_and_finds_the_demo_program_with_its_measures(demo, page, sign_in):
    sign_in("secretary", "demo-portal-2026")

    assert page.locator("html").get_attribute("lang") == "uk"
    page.get_by_role("link", name=PROGRAM).first.click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name=PROGRAM).is_visible()
    body = page.locator("main").inner_text()
    assert "Проведення тренінгу «Практичні аспекти заповнення електронної декларації»" in body
    assert "Не пізніше 3 робочих днів з дня після (події)" in body
    assert "Щопівроку" in body


def test_a_wrong_password_keeps_the_secretary_on_the_login_page_with_an_error(demo, page, sign_in):
    sign_in("secretary", "not-the-password")

    assert "/accounts/login/" in page.url
    assert page.locator("input[name=username]").input_value() == "secretary"
    assert page.get_by_role("alert").count() >= 1
