"""Which account a typed sign-in name means. People type their e-mail address as they remember it
(«Secretary@Body.gov.ua»), while an invited account's name is the address in lower case: e-mail addresses are
case-insensitive in practice, so the sign-in is too.

Accounts whose names differ only by case (made before this rule, e.g. by hand in the admin) are not guessed
between: the exact spelling signs in its own account, and a spelling that matches several accounts only
case-insensitively matches none (the usual "wrong name or password" answer) until an administrator renames one of
them. Invitations already find an existing account case-insensitively (programs.people._account_for), so they make
no new duplicates.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q


def account_username(typed: str) -> str:
    """The stored username the typed name (a username or an e-mail address, in any case) signs in; `typed` itself
    when no single account matches, so the password check fails as it does for an unknown name."""
    User = get_user_model()
    name_field = User.USERNAME_FIELD
    if User.objects.filter(**{name_field: typed}).exists():
        return typed
    by_name = list(User.objects.filter(**{f"{name_field}__iexact": typed}).values_list(name_field, flat=True)[:2])
    if by_name:
        return by_name[0] if len(by_name) == 1 else typed
    by_address = list(User.objects.filter(Q(email__iexact=typed) & ~Q(email="")).values_list(name_field, flat=True)[:2])
    return by_address[0] if len(by_address) == 1 else typed
