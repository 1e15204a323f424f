from core.access import user_scope
from core.roles import Role
from programs.current import current_organisation_id, organisation_names, own_organisation_ids


def navigation(request) -> dict:
    """The roles the signed-in user holds, so the menu shows only what they can open; with roles in several bodies,
    the body they work in now and the others to switch to."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"user_roles": set()}
    scope = user_scope(user)
    current = current_organisation_id(request) if hasattr(request, "session") else None
    context = {
        "user_roles": scope.roles,
        "current_roles": [
            Role(role).label for role in Role.values if current is not None and scope.has_role(role, current)
        ],
        "current_organisation_id": current,
    }
    ids = own_organisation_ids(user)
    if len(ids) > 1 and hasattr(request, "session"):
        context["switchable_organisations"] = organisation_names(request, ids)
    return context
