"""Paging of the portal's lists: one page of the rows and the query string its links keep."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page of `items` the request asks for (`?page=`; a number out of range or not a number gives the nearest
    page) and the request's query string without `page`, for the links to other pages to keep the filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
