"""Encryption at rest for whistleblower content and identities.

The key comes from the environment (FIELD_ENCRYPTION_KEY, comma-separated for rotation: the first key encrypts,
every key decrypts). A database dump alone reveals neither who reported nor what they reported.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])
    except ValueError as error:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be url-safe base64 of 32 bytes.") from error


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured("Encrypted data cannot be read with the configured FIELD_ENCRYPTION_KEY.") from error


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; empty text stays empty so "not given" remains visible to queries."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
