"""Serializers that print a page of objects with DRF's own field conversions, read the way they are planned once.

For every object and every field DRF looks the source up again, asks whether it is callable (inspecting it) and
wraps a related id in an object before reading its `pk`. For a page of 50 entries with their documents that was
more than the rest of the request. `ReadPlanMixin` decides once per serializer how each field is read — a model
column or foreign-key id straight off the instance, anything else through the field's own `get_attribute` — and
converts the value with the field's own `to_representation`, so the output is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers
from rest_framework.fields import Field, SkipField

Reader = Callable[[object], object]


def _column(model, name: str):
    """The model's concrete field `name`, or None when `name` is anything else (a method, a reverse relation …)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and not field.many_to_many else None


def _reader(field: Field, model) -> tuple[Reader, Field | None]:
    """How `field` is read from an instance of `model`, and the field converting what is read (None: printed as is)."""
    name = field.source_attrs[0] if len(field.source_attrs) == 1 else None
    column = _column(model, name) if name else None
    if column is None:
        return field.get_attribute, field
    plain_id = (
        isinstance(field, serializers.PrimaryKeyRelatedField)
        and field.pk_field is None
        and type(field).to_representation is serializers.PrimaryKeyRelatedField.to_representation
        and type(field).get_attribute is serializers.RelatedField.get_attribute
    )
    if column.is_relation and plain_id:
        return attrgetter(column.attname), None  # DRF prints the related object's pk: the id column
    if not column.is_relation and type(field).get_attribute is Field.get_attribute:
        return attrgetter(name), field
    return field.get_attribute, field


def _ids_reader(field: Field, attribute: str) -> tuple[Reader, Field | None]:
    """A many-to-many field read from a list of ids the view attached to the object under `attribute`, in the
    related model's order (printed as they are, as the field would print the objects' pks); the field's own reading
    when the object has none."""

    def read(instance):
        ids = getattr(instance, attribute, None)
        return ids if ids is not None else field.to_representation(field.get_attribute(instance))

    return read, None


class ReadPlanMixin:
    """`to_representation` for a ModelSerializer, the fields' reading planned once per serializer instance (a list
    serializer's child serves the whole page). `Meta.read_ids` may name many-to-many fields read from id lists that
    the view attached: {field name: attribute}."""

    @cached_property
    def _read_plan(self) -> list[tuple[str, Reader, Field | None]]:
        model = self.Meta.model
        read_ids = getattr(self.Meta, "read_ids", {})
        return [
            (field.field_name, *_ids_reader(field, read_ids[field.field_name]))
            if field.field_name in read_ids
            else (field.field_name, *_reader(field, model))
            for field in self._readable_fields
        ]

    def to_representation(self, instance) -> dict:
        ret = {}
        for name, read, field in self._read_plan:
            try:
                value = read(instance)
            except SkipField:
                continue
            # As DRF does: None is printed as null without asking the field.
            ret[name] = value if value is None or field is None else field.to_representation(value)
        return ret
