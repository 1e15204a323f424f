"""A render leaves the objects the process held before it out of Python's collections (issue 21: the collector walked
the worker's whole heap several times per report, two thirds of its time), collects its own cyclic garbage as it
ends, and gives the process's objects back afterwards."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
import weasyprint

from reports.documents.pdf import process_objects_frozen, render_pdf
from tests.reports.test_pdf_page_streams import STYLED as TABLE


def _held() -> list:
    return [[], {"of": "the process"}]  # containers: objects the collector tracks


def _walked(objects: list) -> bool:
    """Whether a collection now would walk any of `objects` (a frozen object is in no generation)."""
    ids = {id(item) for item in objects}
    return any(id(item) in ids for item in gc.get_objects())


@pytest.fixture
def laying_out(monkeypatch):
    """An event set while WeasyPrint lays a document out (`HTML.render`), the heart of a render."""
    inside = threading.Event()
    render = weasyprint.HTML.render

    def watched(self, *args, **kwargs):
        inside.set()
        try:
            return render(self, *args, **kwargs)
        finally:
            inside.clear()

    monkeypatch.setattr(weasyprint.HTML, "render", watched)
    return inside


def test_a_render_walks_none_of_the_objects_held_before_it_and_gives_them_back(laying_out):
    held, seen = _held(), []

    def watch(phase, info):
        # The first collection of the layout and every full one: whether it walked the objects held before.
        if phase == "start" and laying_out.is_set() and (not seen or info["generation"] == 2):
            seen.append((info["generation"], _walked(held)))

    gc.callbacks.append(watch)
    try:
        render_pdf(TABLE)
    finally:
        gc.callbacks.remove(watch)

    assert seen, "the layout collected nothing"
    assert all(not walked for _generation, walked in seen), seen
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


def test_the_freeze_holds_until_the_last_of_two_threads_ends_its_render(monkeypatch):
    """The first thread to freeze leaves while the second is still laying out: the freeze stays, and the second
    lifts it when it ends."""
    held, frozen_after_first_left, errors = _held(), [], []
    first_inside, second_laying_out, first_left = threading.Event(), threading.Event(), threading.Event()
    render = weasyprint.HTML.render

    def second_render(self, *args, **kwargs):
        second_laying_out.set()
        first_left.wait(60)
        frozen_after_first_left.append(not _walked(held))
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", second_render)

    def first():
        with process_objects_frozen():
            first_inside.set()
            second_laying_out.wait(60)
        first_left.set()

    def second():
        first_inside.wait(60)
        try:
            render_pdf(TABLE)
        except Exception as error:  # a failure in the thread must fail the test, not vanish
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors
    assert frozen_after_first_left == [True]
    assert gc.get_freeze_count() == 0
    assert _walked(held)


def test_the_blocks_own_cyclic_garbage_is_collected_as_it_ends():
    class Node:
        pass

    gc.disable()  # no collection but the block's own
    try:
        with process_objects_frozen():
            node = Node()
            node.itself = node
            gone = weakref.ref(node)
            del node
            assert gone() is not None
        assert gone() is None
    finally:
        gc.enable()


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
