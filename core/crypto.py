"""The keys of encryption at rest: whistleblower content and identities, second-factor secrets, private files.

The keys come from the environment (FIELD_ENCRYPTION_KEYS, newest first: the first key encrypts, every key decrypts),
so a new key can be introduced while values written under the old one are still read; `manage.py
rotate_encryption_keys` then re-encrypts them and the old key can go. A database dump alone reveals neither who
reported nor what they reported.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        fernets = [Fernet(key.encode()) for key in keys]
    except ValueError as error:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be url-safe base64 of 32 bytes.") from error
    if not fernets:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet(fernets), fernets[0]


def _configured_keys() -> tuple[str, ...]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str):  # the environment's form, comma-separated
        keys = keys.split(",")
    return tuple(key.strip() for key in keys if key.strip())


def field_fernet() -> MultiFernet:
    """Every configured key: encrypts with the first, decrypts with any."""
    return _fernets(_configured_keys())[0]


def encrypt(value: str) -> str:
    return field_fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return field_fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Encrypted data cannot be read with the configured FIELD_ENCRYPTION_KEYS."
        ) from error


def is_under_primary_key(token: bytes) -> bool:
    """Whether `token` was encrypted with the first (current) key; a rotation leaves such values alone."""
    try:
        _fernets(_configured_keys())[1].decrypt(token)
    except InvalidToken:
        return False
    return True


def reencrypt(token: bytes) -> bytes:
    """`token` encrypted again under the first key (its original timestamp kept); an unreadable one is refused."""
    try:
        return field_fernet().rotate(token)
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A value cannot be read with any of the configured FIELD_ENCRYPTION_KEYS: the key it was written with "
            "was removed too early (put it back at the end of the list and run the rotation again)."
        ) from error
