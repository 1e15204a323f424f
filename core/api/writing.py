"""The write side of the API: serializers that validate what a client sends and hand it to a service.

A serializer here never saves a model itself: `create()` and `update()` call the same service the HTML page calls,
with the user of the request, so the same rules, messages and history apply. For an update the data handed on is
the stored object with the sent fields laid over it, so a PATCH changes only what was sent while the services,
which expect a whole form, still see every field.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from core.api.errors import RULE
from core.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from core.api.schema import WEB_ADDRESS_PATTERN

# What the input checks shared with the forms return: (field or None, message).
Problems = list[tuple[str | None, str]]


class WebAddressField(serializers.URLField):
    """A model's `URLField` over the API: Django's check and the documented pattern (`WEB_ADDRESS_PATTERN`), so a
    client can tell from the schema which addresses are accepted."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(WEB_ADDRESS_PATTERN, message=self.error_messages["invalid"], code="invalid")
        )


class ServiceModelSerializer(serializers.ModelSerializer):
    """A model's API shape whose writes go through a service (`create()` / `update()` call it)."""

    # Integers, booleans and addresses accept exactly what their documented schema types accept.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            model_field: StrictIntegerField
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            if field is serializers.IntegerField
        },
        models.BooleanField: StrictBooleanField,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.URLField: WebAddressField,
    }

    class Meta:
        # Uniqueness is checked by the services and the input checks, with a message next to the right field.
        validators: list = []

    # The field of a create payload naming where the object goes: an organisation, or a program of one.
    target_field = "organisation"

    @property
    def user(self):
        return self.context["request"].user

    def organisation_id(self) -> int:
        """The organisation a create writes into: the user needs the change role there."""
        target = self.validated_data[self.target_field]
        return getattr(target, "organisation_id", target.pk)

    def current_values(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The stored values of the writable model fields the client did not send (nothing on create)."""
        if self.instance is None:
            return {}
        model_fields = self.Meta.model._meta
        values = {}
        for name, field in self.fields.items():
            source = field.source
            if field.read_only or name == "version" or source in attrs:
                continue
            try:
                model_field = model_fields.get_field(source)
            except FieldDoesNotExist:
                continue  # not stored on the model (a revision to work under, a new task to create …)
            value = getattr(self.instance, source)
            values[source] = list(value.all()) if model_field.many_to_many else value
        return values

    def input_problems(self, data: dict[str, Any]) -> Problems:
        """Checks across fields, shared with the model's form; `data` is the whole object as it would be saved."""
        return []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = {**self.current_values(attrs), **attrs}
        errors = defaultdict(list)
        for field, message in self.input_problems(data):
            # A rule across fields that the schema cannot state: the code tells a client it is not a shape error.
            errors[field or api_settings.NON_FIELD_ERRORS_KEY].append(ErrorDetail(str(message), code=RULE))
        if errors:
            raise serializers.ValidationError(dict(errors))
        return data


class VersionedMixin(serializers.Serializer):
    """An update names the version it read: a save over someone else's newer change is refused with 409."""

    version = StrictIntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The version you read; if someone saved the record since, the change is refused (409)."),
    )

    def validate(self, attrs):
        # Required even in a PATCH, which otherwise requires nothing.
        if "version" not in attrs:
            message = self.fields["version"].error_messages["required"]
            raise serializers.ValidationError({"version": [ErrorDetail(str(message), code="required")]})
        return super().validate(attrs)

    @staticmethod
    def split_version(validated_data: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """The data for the service and, apart, the version it expects."""
        data = dict(validated_data)
        return data, data.pop("version")
