"""A render leaves the objects the process held before it out of Python's collections (issue 21: the collector walked
the worker's whole heap several times per report, two thirds of its time), and gives them back afterwards."""

from __future__ import annotations

import gc
import threading

import pytest

from reports.documents.pdf import process_objects_frozen, render_pdf
from tests.reports.test_pdf_page_streams import STYLED as TABLE


def _held() -> list:
    return [[], {"of": "the process"}]  # containers: objects the collector tracks


def _walked(objects: list) -> bool:
    """Whether a collection now would walk any of `objects` (a frozen object is in no generation)."""
    ids = {id(item) for item in objects}
    return any(id(item) in ids for item in gc.get_objects())


@pytest.fixture
def collections_seen():
    """During the next render: for each collection of the oldest generation, and for the first of any, whether it
    walked the objects held before the render."""
    held, seen = _held(), []

    def watch(phase, info):
        if phase == "start" and (not seen or info["generation"] == 2):
            seen.append((info["generation"], _walked(held)))

    gc.callbacks.append(watch)
    yield held, seen
    gc.callbacks.remove(watch)


def test_a_render_walks_none_of_the_objects_held_before_it_and_gives_them_back(collections_seen):
    held, seen = collections_seen
    assert gc.get_freeze_count() == 0

    render_pdf(TABLE)
    gc.collect(2)  # one full collection after the render: the held objects are walked again

    during = seen[:-1]
    assert during, "the render collected nothing"
    assert all(not walked for _generation, walked in during), during
    assert seen[-1] == (2, True)
    assert gc.get_freeze_count() == 0
    assert _walked(held)


def test_a_render_inside_another_keeps_the_objects_frozen_until_the_outer_one_ends():
    held = _held()
    with process_objects_frozen():
        render_pdf(TABLE)
        assert gc.get_freeze_count() > 0
        assert not _walked(held)
    assert gc.get_freeze_count() == 0
    assert _walked(held)


def test_renders_in_two_threads_share_one_freeze_lifted_by_the_last():
    held, finished, errors = _held(), [], []
    first_inside, second_done = threading.Event(), threading.Event()

    def first():
        with process_objects_frozen():
            first_inside.set()
            second_done.wait(60)
            finished.append(("first", not _walked(held)))

    def second():
        first_inside.wait(60)
        try:
            render_pdf(TABLE)
            finished.append(("second", not _walked(held)))
        except Exception as error:  # a failure in the thread must fail the test, not vanish
            errors.append(error)
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors
    assert finished == [("second", True), ("first", True)]
    assert gc.get_freeze_count() == 0
    assert _walked(held)


def test_a_process_that_froze_its_own_objects_is_left_as_it_is():
    held = _held()
    gc.freeze()
    try:
        render_pdf(TABLE)
        assert gc.get_freeze_count() > 0
        assert not _walked(held)  # still frozen: the render did not lift the process's own freeze
    finally:
        gc.unfreeze()
    assert _walked(held)
