"""Pages of long API lists: the page's rows chosen on their sort keys alone, then read whole.

A list of 6,000 measures or entries sorted across joined tables makes PostgreSQL join and sort every row with all
its columns (texts of hundreds of characters, the program's row, the users) only to keep fifty. Here the database
first sorts and slices the primary keys with the ordering columns alone, and a second query reads the fifty rows
whole by primary key, put in the keys' order. (As one query with the keys in a subquery, PostgreSQL planned the
outer join over every row again.) The list's length comes with the keys, `COUNT(*) OVER ()` beside each of them:
the database counts the rows in the pass that sorts them, where a separate COUNT joined and walked them again.

A view whose order begins with a few groups (the entries' periods, the measures' tasks) does better still: it counts
each group's rows in one grouped statement, an index's work, finds with `groups_of_page` the one or two groups the
page falls in, and sorts only their rows (`page_keys`, below).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from rest_framework.pagination import PageNumberPagination


class KeysFirstPaginator(Paginator):
    """Django's paginator, choosing a page's primary keys in a query sorted on the ordering alone, then the rows.

    `key_order`, when given, sorts the subquery in place of the queryset's own ordering; it must put the rows in the
    same order (a cheaper expression of it), since the outer query sorts the page's rows by the queryset's ordering.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        key_order: Sequence | None = None,
        keys_of: Callable[[QuerySet, int, int], tuple[list, int] | None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.key_order = key_order
        self.keys_of = keys_of

    def page(self, number) -> Page:
        queryset = self.object_list
        # DISTINCT would put the ordering columns into the keys' select list; an unordered list has no page to find.
        if not isinstance(queryset, QuerySet) or queryset.query.distinct or not queryset.ordered:
            return super().page(number)
        keys = (queryset.order_by(*self.key_order) if self.key_order else queryset).prefetch_related(None)
        requested = _whole_number(number)
        if requested is not None and not self.orphans and "count" not in self.__dict__:
            bottom = (requested - 1) * self.per_page
            found = self.keys_of(queryset.prefetch_related(None), bottom, self.per_page) if self.keys_of else None
            if found is None:
                counted = keys.annotate(listed=Window(Count("pk"))).values_list("pk", "listed")
                counted = list(counted[bottom : bottom + self.per_page])
                found = ([pk for pk, _listed in counted], counted[0][1]) if counted else None
            if found is not None:
                page_keys, self.count = found  # Paginator.count is a cached property: this is its value
                if page_keys:
                    return self._rows_of(page_keys, requested)
            # Past the end, or nothing listed: Django's paginator answers (EmptyPage, or an empty first page).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._rows_of(list(keys.values_list("pk", flat=True)[bottom:top]), number)

    def _rows_of(self, keys: list, number: int) -> Page:
        # The keys are in order already: the rows are read unsorted (no joins for the ordering) and put in it.
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys], number, self)


def groups_of_page(counts: Iterable[tuple[Any, int]], bottom: int, size: int) -> tuple[list, int, int]:
    """The groups a page of `size` rows from `bottom` on falls in, given each group's count in the list's order; the
    page's first row's place in the first of them; and the list's length."""
    touched, start, offset = [], 0, 0
    for group, count in counts:
        end = start + count
        if end > bottom and start < bottom + size:
            offset = offset if touched else bottom - start
            touched.append(group)
        start = end
    return touched, offset, start


def _whole_number(number) -> int | None:
    """The page number asked for when it is a whole number from 1 up, else None (Django's paginator then refuses it
    with its own message)."""
    if isinstance(number, float) and not number.is_integer():
        return None
    try:
        requested = int(number)
    except (TypeError, ValueError):
        return None
    return requested if requested >= 1 else None


class KeysFirstPagination(PageNumberPagination):
    """Page-number pagination through `KeysFirstPaginator`. A view may offer `page_key_order(queryset)`: a cheaper
    ordering equivalent to the queryset's, or None to sort the keys on the queryset's own; and `page_keys(queryset,
    bottom, size)`: the keys of the rows from `bottom` on and the list's length, found its own way (None: the paginator
    finds them)."""

    key_order: Sequence | None = None
    keys_of: Callable[[QuerySet, int, int], tuple[list, int] | None] | None = None

    def paginate_queryset(self, queryset, request, view=None):
        key_order: Callable[[QuerySet], Sequence | None] | None = getattr(view, "page_key_order", None)
        self.key_order = key_order(queryset) if key_order is not None else None
        self.keys_of = getattr(view, "page_keys", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page) -> KeysFirstPaginator:
        return KeysFirstPaginator(object_list, per_page, key_order=self.key_order, keys_of=self.keys_of)
