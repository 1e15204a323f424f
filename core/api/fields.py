"""Serializer fields that take ids from a client: only objects the requesting user may see can be named."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.access import Action


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key of an object the requesting user may see; anything else is "does not exist" (400)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.restrict(self.context["request"].user, Action.VIEW)


def _sent_as_form(field: serializers.Field) -> bool:
    """Whether the request body is a form (urlencoded or multipart), where every value is text by nature."""
    request = field.context.get("request")
    content_type = getattr(request, "content_type", "") or ""
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


class StrictIntegerField(serializers.IntegerField):
    """An integer as JSON writes it: in a JSON body `"5"` or `true` is refused, as the schema's `integer` type refuses
    them (DRF's field parses any text of digits). A form body carries text only, so there the digits are taken."""

    def to_internal_value(self, data):
        if isinstance(data, str) and _sent_as_form(self):
            return super().to_internal_value(data)
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """`true` or `false` (or their text in a form): DRF's field also takes 0, 1, "yes", "on" …, which the schema's
    `boolean` type refuses."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if not (isinstance(data, str) and data.lower() in ("true", "false")):
            self.fail("invalid", input=data)
        return data.lower() == "true"


class StrictCharField(serializers.CharField):
    """Text as JSON writes it: DRF's field turns `0` into "0", which the schema's `string` type refuses."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
