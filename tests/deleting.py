"""What the delete tests of risks and measures share: the personas, and how each kind of request is sent."""

from __future__ import annotations

from django.urls import reverse

PERSONAS = [
    "secretary",
    "admin_user",
    "superuser",
    "reporter",
    "commission",
    "manager",
    "officer",
    "parent_secretary",
    "outsider",
    "anonymous",
]
# Those who may delete: the secretary and the administrator of the program's own body, and the platform superuser.
EDITORS = {"secretary", "admin_user", "superuser"}
REQUESTS = ("page GET", "page POST", "API DELETE")


def matrix(expected: dict[str, tuple[int, ...]]) -> list[tuple[str, str, int]]:
    """(request, persona, status) rows from one tuple of statuses per request, in the order of PERSONAS."""
    return [
        (request, persona, status)
        for request, statuses in expected.items()
        for persona, status in zip(PERSONAS, statuses, strict=True)
    ]


def matrix_ids(rows: list[tuple[str, str, int]]) -> list[str]:
    return [f"{request}-{persona}" for request, persona, _ in rows]


def send(request: str, persona: str, *, login, api, page: str, endpoint: str):
    """The confirmation page (GET or POST) or the API's DELETE, as `persona`."""
    if request == "API DELETE":
        return api(persona).delete(endpoint)
    client = login(persona)
    return client.post(page) if request == "page POST" else client.get(page)


def check_row(response, request: str, persona: str, status: int, *, still_there: bool) -> None:
    """The status a persona must get, and the object gone only after an editor's POST or DELETE."""
    assert response.status_code == status
    assert still_there is (request == "page GET" or persona not in EDITORS)
    if persona == "anonymous" and request != "API DELETE":
        assert response["Location"].startswith(reverse("login"))
