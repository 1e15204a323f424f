"""The whistleblower's receipt: 16 random digits, shown once, stored only as a slow salted hash.

The hash must allow a lookup (the whistleblower types only the receipt), so the salt cannot be random per report.
It is derived instead from a server-side pepper (WHISTLEBLOWER_RECEIPT_PEPPER, by default SECRET_KEY) and the
organisation: a dump of the database alone gives an attacker nothing to test guesses against, and each installation
and organisation needs its own brute-force run. Argon2id with 19 MiB of memory makes each guess cost tens of
milliseconds even then. Changing the pepper makes existing receipts unusable — rotate it only with that in mind.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2.low_level import Type, hash_secret_raw
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

RECEIPT_DIGITS = 16
# OWASP's minimum Argon2id profile: 19 MiB, two passes — ~25 ms here, far too slow for guessing 10^16 values.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024


def _pepper() -> bytes:
    return str(getattr(settings, "WHISTLEBLOWER_RECEIPT_PEPPER", "") or settings.SECRET_KEY).encode()


def receipt_generate() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def receipt_normalise(value: str) -> str:
    """The digits of what a person typed: spaces and dashes of the grouped display are ignored."""
    return "".join(ch for ch in value if ch.isdigit())


def receipt_display(receipt: str) -> str:
    """Groups of four digits, the way people copy long numbers without mistakes."""
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def receipt_hash(receipt: str, *, organisation_id: int) -> str:
    salt = hmac.new(_pepper(), f"whistleblower-receipt:{organisation_id}".encode(), hashlib.sha256).digest()[:16]
    raw = hash_secret_raw(
        secret=receipt.encode(),
        salt=salt,
        time_cost=TIME_COST,
        memory_cost=MEMORY_COST_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return "argon2id$" + raw.hex()


def token_digest(token: str) -> str:
    """What the database keeps of a form's one-time submission token."""
    return hashlib.sha256(f"whistleblower-submission:{token}".encode()).hexdigest()


def _token_fernet(token: str) -> Fernet:
    key = hmac.new(_pepper(), f"whistleblower-receipt-box:{token}".encode(), hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def receipt_seal(receipt: str, *, token: str) -> str:
    """The receipt encrypted under the form's token, so a repeated submission can show the same receipt again.

    Only the browser that holds the token (and the server's pepper) can open it; it lives in the cache for minutes.
    """
    return _token_fernet(token).encrypt(receipt.encode()).decode()


def receipt_unseal(sealed: str, *, token: str) -> str | None:
    try:
        return _token_fernet(token).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
