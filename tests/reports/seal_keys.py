"""Throw-away certificates for the sealed-report tests: a CA, an organisation's seal certificate, its PKCS#12."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "печатка-2026"


@dataclass(frozen=True)
class ThrowAwaySeal:
    pkcs12: bytes
    ca_pem: bytes
    certificate: x509.Certificate


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def throw_away_seal(
    common_name: str = "Державна міграційна служба",
    organisation: str = "ДМС України",
    *,
    password: str = PASSWORD,
) -> ThrowAwaySeal:
    """A CA and a seal certificate it issued (digital signature + non-repudiation), valid from yesterday for a year."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Тестовий ЦСК", "Тестовий ЦСК")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    archive = pkcs12.serialize_key_and_certificates(
        b"seal",
        key,
        certificate,
        [ca],
        serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption(),
    )
    return ThrowAwaySeal(pkcs12=archive, ca_pem=ca.public_bytes(serialization.Encoding.PEM), certificate=certificate)


@dataclass(frozen=True)
class ThrowAwayAuthority:
    """A time-stamping authority's certificate (self-signed, time stamping only) and key, in pyHanko's types."""

    certificate: object
    key: object
    pem: bytes


def throw_away_tsa() -> ThrowAwayAuthority:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509

    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test authority signs RSA only
    name = _name("Тестова служба позначок часу", "Тестовий ЦСК")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return ThrowAwayAuthority(
        certificate=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        key=asn1_keys.PrivateKeyInfo.load(der_key),
        pem=certificate.public_bytes(serialization.Encoding.PEM),
    )
