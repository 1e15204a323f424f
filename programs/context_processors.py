from .access import user_scope


def navigation(request) -> dict:
    """The roles the signed-in user holds, so the menu shows only what they can open."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"user_roles": set()}
    return {"user_roles": user_scope(user).roles}
