"""Under the strict Content-Security-Policy the pages that run scripts still work, and the browser reports no
violation: the dashboard's charts, Swagger UI and Redoc."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_JS = Path(django_settings.BASE_DIR) / "node_modules" / "chart.js" / "dist"


@pytest.fixture
def demo(transactional_db):
    assert CHART_JS.exists(), "Chart.js is installed by scripts/bootstrap (npm ci)"
    load_demo()


def breaks_the_page(message: str) -> bool:
    # Redoc's footer logo comes from Redocly's CDN; blocking it is intended (the portal loads nothing from a CDN).
    return "Content Security Policy" in message and "https://cdn.redoc.ly/" not in message


@pytest.fixture
def violations(page):
    found = []
    page.on("console", lambda message: found.append(message.text) if breaks_the_page(message.text) else None)
    return found


def test_the_dashboard_and_the_api_docs_work_without_a_policy_violation(demo, page, sign_in, violations):
    sign_in("manager", "demo-portal-2026")

    page.goto("/dashboard/")
    page.wait_for_selector("html[data-charts=drawn]")
    assert page.locator("figure[data-chart=status] canvas").count() == 1

    page.goto("/api/v1/docs/")
    page.wait_for_selector("#swagger-ui .opblock", timeout=30_000)

    page.goto("/api/v1/redoc/")
    page.wait_for_selector("redoc [role=search], redoc .api-content", timeout=30_000)

    assert violations == []
