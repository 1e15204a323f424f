"""EncryptedTextField: text encrypted at rest under FIELD_ENCRYPTION_KEYS (see core.crypto)."""

from django.db import models

from core.crypto import decrypt, encrypt


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
