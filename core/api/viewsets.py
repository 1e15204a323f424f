"""The base of every API viewset: objects come through `restrict`, so another organisation's object is a 404.

Writes reuse the pages' rules: an update or a delete needs the object in view scope (404) and the change rule (403,
checked by `ScopedPermission`); a create needs the change role in the organisation the payload names, whose id itself
must be in view scope (400 "does not exist" otherwise). The serializers hand the data to the services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from core.access import Action, can
from core.api.errors import call_service
from core.api.writing import VersionedMixin
from core.permissions import require_change_in


class ScopedPermission(permissions.IsAuthenticated):
    """Reading needs the object in scope (enforced by the queryset); writing needs the change rule as well."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can(request.user, Action.CHANGE, obj)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedPermission]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, Action.VIEW)

    def read_back(self, obj) -> dict:
        """`obj` as a GET shows it, through the viewset's own queryset (annotations, prefetches) and serializer."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data


class ServiceCreateMixin:
    """POST: validate with `create_serializer_class`, require the change role in the target organisation, let the
    serializer call the service. The serializer names the organisation through `organisation_id()`."""

    create_serializer_class: type[serializers.Serializer]

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        require_change_in(request.user, self.queryset.model, payload.organisation_id())
        saved = call_service(payload.save)
        return Response(self.read_back(saved), status=status.HTTP_201_CREATED)


class ServiceUpdateMixin:
    """PUT and PATCH: the object comes through the scoped queryset (404) and the change rule (403)."""

    update_serializer_class: type[serializers.Serializer]

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        payload = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        saved = call_service(payload.save)
        return Response(self.read_back(saved))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class ServiceDestroyMixin:
    """DELETE: the object comes through the scoped queryset (404) and the change rule (403); `perform_destroy`
    calls the service, whose refusal (a record the rules protect) is a 400 with its message."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        call_service(lambda: self.perform_destroy(instance))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy(self, instance) -> None:
        raise NotImplementedError


class AttachOnReadMixin:
    """For a viewset whose objects, as read (a list's page, a retrieved object), get related data attached in one
    query for all of them, in place of a prefetch: `attach_on_read(objects)` returns the objects with it."""

    attach_on_read: Callable[[list], list]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self.attach_on_read(page) if page is not None else None

    def get_object(self):
        instance = super().get_object()
        return self.attach_on_read([instance])[0] if self.action == "retrieve" else instance


class ScopedWriteViewSet(ScopedReadOnlyViewSet):
    """Picks the write serializer for the write actions; DELETE only where `ServiceDestroyMixin` offers it."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        # A viewset without a create or an update has no serializer for it: the browsable API still asks, to draw
        # its forms, and gets the read serializer.
        if self.action == "create":
            return getattr(self, "create_serializer_class", None) or super().get_serializer_class()
        if self.action in ("update", "partial_update"):
            return getattr(self, "update_serializer_class", None) or super().get_serializer_class()
        return super().get_serializer_class()


REFUSALS = {
    400: OpenApiResponse(description=_("Invalid input; the body names the fields.")),
    403: OpenApiResponse(description=_("The object is visible, but your role may not change it.")),
}
NOT_FOUND = OpenApiResponse(description=_("Not found in your scope."))


def write_schema(read: type[serializers.Serializer], *, create=None, update=None, destroy: bool = False):
    """drf-spectacular annotations: requests in the write shape, answers in the read shape."""
    views = {}
    if destroy:
        views["destroy"] = extend_schema(
            responses={
                204: None,
                400: OpenApiResponse(description=_("The rules keep this record; the body says why and what to do.")),
                403: REFUSALS[403],
                404: NOT_FOUND,
            }
        )
    if create is not None:
        views["create"] = extend_schema(request=create, responses={201: read, **REFUSALS})
    if update is not None:
        answers = {200: read, **REFUSALS, 404: NOT_FOUND}
        if issubclass(update, VersionedMixin):
            answers[409] = OpenApiResponse(description=_("Someone else saved the record since the version you read."))
        views["update"] = extend_schema(request=update, responses=answers)
        views["partial_update"] = extend_schema(request=update, responses=answers)
    return extend_schema_view(**views)
