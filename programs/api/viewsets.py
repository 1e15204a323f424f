"""The base of every API viewset: objects come through `restrict`, so another organisation's object is a 404."""

from rest_framework import permissions, viewsets

from programs.access import Action, can


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
