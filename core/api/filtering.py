"""The API's filter backend: a query parameter the schema calls an integer or a boolean accepts only that.

django-filter's `NumberFilter` parses decimals (`unit=0.5` filtered by 0) and its `BooleanFilter` turns anything it
does not know (`is_public=null`) into "no filter"; both answered 200 to requests the schema calls invalid. The
backend tightens every filterset the API uses, declared or generated from `filterset_fields`, so endpoints added
later are strict too; the HTML pages keep their forgiving forms.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import (
    BooleanFilter,
    DateFilter,
    DateTimeFilter,
    ModelChoiceFilter,
    ModelMultipleChoiceFilter,
    NumberFilter,
)
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ErrorDetail, ValidationError

INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey, models.ManyToManyField)


class StrictBooleanWidget(forms.TextInput):
    """Hands the raw text to the field, which refuses what is neither true nor false."""


class StrictBooleanField(forms.Field):
    widget = StrictBooleanWidget
    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE, FALSE = frozenset({"true", "1"}), frozenset({"false", "0"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def is_integer(model, field_name: str, lookup_expr: str) -> bool:
    if lookup_expr not in ("exact", "gt", "gte", "lt", "lte"):
        return lookup_expr == "year"
    try:
        field = get_model_field(model, field_name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, INTEGER_FIELDS)


def _errors(filterset) -> dict[str, list[ErrorDetail]]:
    """The form's errors with their codes; an id of nothing in scope is `does_not_exist`, as in a body."""
    errors = {}
    for name, problems in filterset.form.errors.as_data().items():
        unknown = isinstance(filterset.filters.get(name), ModelChoiceFilter | ModelMultipleChoiceFilter)
        errors[name] = [
            ErrorDetail(
                " ".join(problem.messages),
                code="does_not_exist" if unknown and problem.code == "invalid_choice" else problem.code or "invalid",
            )
            for problem in problems
        ]
    return errors


def tighten(filterset) -> None:
    """Make the integer and boolean filters of `filterset` refuse what their schema type refuses (400)."""
    model = filterset._meta.model
    for item in filterset.filters.values():
        if isinstance(item, NumberFilter) and is_integer(model, item.field_name, item.lookup_expr):
            item.field_class = forms.IntegerField
        elif isinstance(item, BooleanFilter):
            item.field_class = StrictBooleanField
            item.extra["widget"] = StrictBooleanWidget  # DRF's and Django's widgets turn "null" into None first
        else:
            continue
        item.__dict__.pop("_field", None)  # built lazily; drop one built before


# Filters whose schema type (date, date-time, integer, an object's id) has no empty value. A boolean's enum lists the
# empty text (no filter), as a choice's does.
TYPED_FILTERS = (DateFilter, DateTimeFilter, NumberFilter, ModelChoiceFilter, ModelMultipleChoiceFilter)


def _empty_values(request, filterset) -> dict[str, list[ErrorDetail]]:
    """A typed filter named with nothing after `=` (`held_on=`, `parent=`): django-filter reads it as no filter,
    while the schema's type refuses an empty text. (A choice's or a boolean's enum and a text filter allow it.)"""
    return {
        name: [ErrorDetail(str(_("Give a value, or leave the parameter out.")), code="invalid")]
        for name, item in filterset.filters.items()
        if request.query_params.get(name, None) == "" and isinstance(item, TYPED_FILTERS)
    }


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        empty = _empty_values(request, filterset)
        if empty:
            raise ValidationError(empty)
        if not filterset.is_valid():
            raise ValidationError(_errors(filterset))
        return filterset.qs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            tighten(filterset)
        return filterset
