"""Encryption at rest for files: whistleblowers' attachments and the generated reports (among them the journals,
which carry who is accused of what).

`EncryptedStorage` sits on top of the default storage (the private storage folder): it writes each file as a
sequence of Fernet tokens under FIELD_ENCRYPTION_KEYS (the keys of the encrypted fields, rotation included) and
decrypts on reading, so views and tasks keep using `field.save()` and `field.open()`. Files are processed in 64 KiB
chunks: a large file is never held whole in memory, neither when written nor when downloaded.

Layout: MAGIC, then records of a 4-byte big-endian length and a Fernet token. Each token encrypts one byte (1 on
the last record) and the record's 8-byte index before the data, so records cannot be reordered, dropped or cut off
unnoticed. A file without MAGIC is a clear file stored before encryption was introduced: it is still read, and
`manage.py encrypt_private_files` encrypts it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils.deconstruct import deconstructible

from core.crypto import field_fernet, is_under_primary_key

MAGIC = b"PORTAL-ENC1\n"
CHUNK_SIZE = 64 * 1024
LENGTH_BYTES = 4
INDEX_BYTES = 8


class DamagedFile(OSError):
    """An encrypted file that was cut off or altered."""


def _encrypt_record(data: bytes, *, index: int, final: bool) -> bytes:
    token = field_fernet().encrypt(bytes([final]) + index.to_bytes(INDEX_BYTES, "big") + data)
    return len(token).to_bytes(LENGTH_BYTES, "big") + token


def encrypted_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """MAGIC and the records of `chunks` (an iterable of bytes), one at a time: at most two chunks are in memory."""
    yield MAGIC
    index, previous = 0, None
    for chunk in chunks:
        if not chunk:
            continue
        if previous is not None:
            yield _encrypt_record(previous, index=index, final=False)
            index += 1
        previous = chunk
    yield _encrypt_record(previous or b"", index=index, final=True)


class DecryptingReader(io.RawIOBase):
    """The clear bytes of an encrypted file, decrypted one record at a time as they are read."""

    def __init__(self, raw) -> None:
        super().__init__()
        self._raw = raw
        self._index = 0
        self._finished = False
        self._chunk = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def _next_record(self) -> bytes | None:
        header = self._raw.read(LENGTH_BYTES)
        if not header:
            if not self._finished:
                raise DamagedFile("The encrypted file is cut off.")
            return None
        if self._finished or len(header) != LENGTH_BYTES:
            raise DamagedFile("The encrypted file has data after its end.")
        length = int.from_bytes(header, "big")
        token = self._raw.read(length)
        if len(token) != length:
            raise DamagedFile("The encrypted file is cut off.")
        try:
            plain = field_fernet().decrypt(token)
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "An encrypted file cannot be read with the configured FIELD_ENCRYPTION_KEYS (wrong key, or the file "
                "was altered)."
            ) from error
        if int.from_bytes(plain[1 : 1 + INDEX_BYTES], "big") != self._index:
            raise DamagedFile("The encrypted file's parts are out of order.")
        self._index += 1
        self._finished = plain[0] == 1
        return plain[1 + INDEX_BYTES :]

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._chunk):
            chunk = self._next_record()
            if chunk is None:
                return 0
            self._chunk, self._offset = chunk, 0
        size = min(len(buffer), len(self._chunk) - self._offset)
        buffer[:size] = self._chunk[self._offset : self._offset + size]
        self._offset += size
        return size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _EncryptingContent(File):
    """What the underlying storage writes: the encrypted form of `content`, produced chunk by chunk."""

    def __init__(self, content) -> None:
        super().__init__(None, name=getattr(content, "name", None))
        self._content = content

    def chunks(self, chunk_size=None):
        return encrypted_chunks(self._content.chunks(CHUNK_SIZE))

    def multiple_chunks(self, chunk_size=None) -> bool:
        return True

    @property
    def size(self):
        return None


class DecryptedFile(File):
    """A stored file opened through EncryptedStorage; reopening reads it again from the start."""

    def __init__(self, storage: EncryptedStorage, name: str) -> None:
        self._storage = storage
        super().__init__(storage._reader(name), name=name)

    def open(self, mode=None, *args, **kwargs):
        if not self.closed:
            self.file.close()
        self.file = self._storage._reader(self.name)
        return self

    @property
    def size(self):
        return None


@deconstructible(path="core.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    """The default storage, with every file encrypted at rest (see the module's docstring)."""

    def _reader(self, name: str):
        raw = default_storage.open(name, "rb")
        try:
            if raw.read(len(MAGIC)) != MAGIC:
                raw.seek(0)  # a clear file from before encryption; `encrypt_private_files` converts it
                return raw
            reader = io.BufferedReader(DecryptingReader(raw), buffer_size=CHUNK_SIZE)
            reader.peek(1)  # decrypt the first record now: a wrong key fails on opening, not mid-download
        except BaseException:
            raw.close()
            raise
        return reader

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted files are written with save(), not opened for writing.")
        return DecryptedFile(self, name)

    def _save(self, name, content):
        return default_storage.save(name, _EncryptingContent(content))

    def is_encrypted(self, name: str) -> bool:
        with default_storage.open(name, "rb") as raw:
            return raw.read(len(MAGIC)) == MAGIC

    def is_under_primary_key(self, name: str) -> bool:
        """Whether the file is encrypted under the first key: a file is always written whole under one key, so its
        first record tells (a clear file is not)."""
        with default_storage.open(name, "rb") as raw:
            if raw.read(len(MAGIC)) != MAGIC:
                return False
            length = int.from_bytes(raw.read(LENGTH_BYTES), "big")
            return is_under_primary_key(raw.read(length))

    # Everything but reading and writing is the default storage's business.
    def delete(self, name):
        return default_storage.delete(name)

    def exists(self, name):
        return default_storage.exists(name)

    def listdir(self, path):
        return default_storage.listdir(path)

    def size(self, name):
        return default_storage.size(name)

    def path(self, name):
        return default_storage.path(name)

    def url(self, name):
        return default_storage.url(name)

    def get_accessed_time(self, name):
        return default_storage.get_accessed_time(name)

    def get_created_time(self, name):
        return default_storage.get_created_time(name)

    def get_modified_time(self, name):
        return default_storage.get_modified_time(name)


encrypted_storage = EncryptedStorage()
