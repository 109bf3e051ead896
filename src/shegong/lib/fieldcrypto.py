"""The keyring behind field encryption and lookup hashes (lib/pii.py uses it; docs/security.md explains it).

Two algorithm families, chosen by ``settings.FIELD_CRYPTO``:

- ``fernet``: Fernet (AES-128-CBC + HMAC-SHA256) for values, HMAC-SHA256 for lookup hashes;
- ``sm4``: SM4-GCM (GB/T 32907, authenticated) for values, HMAC-SM3 (GB/T 32905) for lookup hashes.

Every stored form records its algorithm and key, so a database can hold several while ``shegong rotate_keys``
moves it to the current ones:

- ciphertext ``f1a2b3c4d:<Fernet token>`` or ``s1a2b3c4d:<base64url(nonce | SM4-GCM ciphertext | tag)>``;
  a bare Fernet token (no colon) is the format written before keys had ids;
- lookup hash ``h1a2b3c4d:<base64url HMAC-SHA256>`` or ``m1a2b3c4d:<base64url HMAC-SM3>`` (53 characters);
  64 hexadecimal digits (no colon) is the format written before, keyed by a key derived from a Fernet key.

The letter names the algorithm, the 8 hex digits are the key id (a hash of the key, never the key). Lookups
compute the hash under the current key; until a rotation has finished they also try every other configured
key (an indexed ``IN`` of a few values), afterwards a single equality.
"""

import base64
import hashlib
import hmac
import os
import time
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver

FERNET, SM4 = "fernet", "sm4"
_NONCE = 12  # bytes; the GCM standard nonce
_TAG = 16
STATE_TTL = 60.0  # seconds a process trusts its reading of "has the rotation finished?"


class DecryptError(ValueError):
    """A value that the configured keys cannot decrypt (wrong key, or altered in the database)."""


def key_id(key: bytes) -> str:
    """8 hex digits that name a key in stored values and backup manifests without revealing it."""
    return hashlib.sha256(b"shegong-key-id:" + key).hexdigest()[:8]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class FieldCipher:
    """One encryption key of one algorithm."""

    algorithm: str
    key: bytes  # Fernet: the urlsafe-base64 key as given; SM4: 16 raw bytes

    @property
    def kid(self) -> str:
        return ("f" if self.algorithm == FERNET else "s") + key_id(self.key)

    def encrypt(self, data: bytes) -> str:
        if self.algorithm == FERNET:
            return f"{self.kid}:{Fernet(self.key).encrypt(data).decode()}"
        nonce = os.urandom(_NONCE)
        enc = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        # The header is authenticated too, so a value cannot be relabelled as another key's.
        enc.authenticate_additional_data(self.kid.encode())
        body = enc.update(data) + enc.finalize()
        return f"{self.kid}:{_b64(nonce + body + enc.tag)}"

    def decrypt(self, payload: str) -> bytes:
        try:
            if self.algorithm == FERNET:
                return Fernet(self.key).decrypt(payload.encode())
            raw = _unb64(payload)
            nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
            dec = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, tag)).decryptor()
            dec.authenticate_additional_data(self.kid.encode())
            return dec.update(body) + dec.finalize()
        except (InvalidToken, InvalidTag, ValueError) as exc:
            raise DecryptError("cannot decrypt: the value was altered or the key is wrong") from exc


@dataclass(frozen=True)
class HashKey:
    """One lookup-hash key under one algorithm; ``legacy`` writes the old unversioned hex form."""

    algorithm: str  # FERNET family -> HMAC-SHA256, SM4 family -> HMAC-SM3
    key: bytes
    legacy: bool = False

    @property
    def vid(self) -> str:
        return "" if self.legacy else ("h" if self.algorithm == FERNET else "m") + key_id(self.key)

    def digest(self, normalised: str) -> str:
        if self.legacy:
            return hmac.new(self.key, normalised.encode(), hashlib.sha256).hexdigest()
        mac = crypto_hmac.HMAC(self.key, hashes.SHA256() if self.algorithm == FERNET else hashes.SM3())
        mac.update(normalised.encode())
        return f"{self.vid}:{_b64(mac.finalize())}"


@dataclass(frozen=True)
class Keyring:
    cipher: FieldCipher  # writes
    ciphers: dict  # kid -> FieldCipher, every configured key (reads)
    fernet_keys: tuple  # for the unversioned Fernet tokens written before key ids
    hash_key: HashKey  # writes and the first lookup candidate
    previous_hash_keys: tuple  # rows not yet re-hashed are found under these

    def encrypt(self, text: str) -> str:
        return self.cipher.encrypt(text.encode())

    def decrypt(self, token: str) -> str:
        kid, sep, payload = token.partition(":")
        if not sep:
            if not self.fernet_keys:
                raise DecryptError("cannot decrypt: no Fernet key is configured for this old value")
            try:
                return MultiFernet([Fernet(k) for k in self.fernet_keys]).decrypt(token.encode()).decode()
            except InvalidToken as exc:
                raise DecryptError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY or corrupted value") from exc
        cipher = self.ciphers.get(kid)
        if cipher is None:
            raise DecryptError(f"cannot decrypt: key {kid} is not configured")
        return cipher.decrypt(payload).decode()

    def is_current_ciphertext(self, token: str) -> bool:
        return token.startswith(self.cipher.kid + ":")

    def is_current_hash(self, digest: str) -> bool:
        return digest.startswith(self.hash_key.vid + ":")

    @property
    def version(self) -> str:
        """What a fully rotated database is written with: ``<cipher kid>/<hash vid>``."""
        return f"{self.cipher.kid}/{self.hash_key.vid}"

    def key_ids(self) -> list[str]:
        """Every configured key's id (for backup manifests): ids only, never keys."""
        hashes = (self.hash_key, *self.previous_hash_keys)
        return sorted(set(self.ciphers) | {h.vid or "legacy-" + key_id(h.key) for h in hashes})

    def fingerprint(self) -> str:
        return hashlib.sha256("|".join(self.key_ids()).encode()).hexdigest()


def _split(raw: str) -> list[str]:
    return [k.strip() for k in (raw or "").split(",") if k.strip()]


def _demo_key(label: str) -> bytes:
    if not (getattr(settings, "DEMO", False) or getattr(settings, "TESTING", False)):
        raise ImproperlyConfigured(f"{label} is not set (see README, 部署).")
    # FIELD_ENCRYPTION_KEY's derivation is the one Shegong always used, so existing demo databases still read.
    salt = b"" if label == "FIELD_ENCRYPTION_KEY" else b"|" + label.encode()
    return hashlib.sha256(settings.SECRET_KEY.encode() + salt).digest()


def _fernet_keys() -> list[bytes]:
    keys = [k.encode() for k in _split(settings.FIELD_ENCRYPTION_KEY)]
    if not keys and (settings.FIELD_CRYPTO == FERNET or settings.DEMO or settings.TESTING):
        keys = [base64.urlsafe_b64encode(_demo_key("FIELD_ENCRYPTION_KEY"))]
    for k in keys:
        try:
            Fernet(k)
        except ValueError as exc:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY holds a key that is not a Fernet key.") from exc
    return keys


def _sm4_keys() -> list[bytes]:
    raw = _split(getattr(settings, "FIELD_SM4_KEY", ""))
    try:
        keys = [bytes.fromhex(k) for k in raw]
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_SM4_KEY must be 32 hexadecimal digits per key.") from exc
    if any(len(k) != 16 for k in keys):
        raise ImproperlyConfigured("FIELD_SM4_KEY must be 32 hexadecimal digits (128 bits) per key.")
    if not keys and settings.FIELD_CRYPTO == SM4:
        keys = [_demo_key("FIELD_SM4_KEY")[:16]]
    if keys:
        try:  # OpenSSL may be built without the national algorithms: say so plainly, not as an odd crypto error
            FieldCipher(SM4, keys[0]).encrypt(b"")
            hashes.Hash(hashes.SM3())
        except UnsupportedAlgorithm as exc:
            raise ImproperlyConfigured("This cryptography/OpenSSL build has no SM4-GCM or SM3.") from exc
    return keys


def _derived_hash_keys(fernet: list[bytes], sm4: list[bytes]) -> list[bytes]:
    """The hash key derived from an encryption key, as Shegong did before FIELD_HASH_KEY existed."""
    sources = [k.decode() for k in fernet] + [k.hex() for k in sm4]
    if settings.FIELD_CRYPTO == SM4:
        sources = [k.hex() for k in sm4] + [k.decode() for k in fernet]
    return [hashlib.sha256(b"shegong-lookup-hash:" + s.encode()).digest() for s in sources]


def _hash_keys(fernet: list[bytes], sm4: list[bytes]) -> list[bytes]:
    entries = _split(getattr(settings, "FIELD_HASH_KEY", "")) or ["derived"]
    keys: list[bytes] = []
    for entry in entries:
        if entry == "derived":
            keys += _derived_hash_keys(fernet, sm4)
        elif len(entry) < 32:
            raise ImproperlyConfigured("FIELD_HASH_KEY: each key needs at least 32 characters.")
        else:
            keys.append(entry.encode())
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=1)
def keyring() -> Keyring:
    fernet, sm4 = _fernet_keys(), _sm4_keys()
    current = settings.FIELD_CRYPTO
    ciphers = [FieldCipher(FERNET, k) for k in fernet] + [FieldCipher(SM4, k) for k in sm4]
    writer = next(c for c in ciphers if c.algorithm == current)
    # Hash algorithms in play: the current one, and the other while its keys are still configured (a switch
    # between fernet and sm4 is under way and rows not yet re-hashed carry the other algorithm's hash).
    families = [current] + [f for f, ks in ((FERNET, fernet), (SM4, sm4)) if f != current and ks]
    hash_keys = _hash_keys(fernet, sm4)
    versions = [HashKey(f, k) for k in hash_keys for f in families]
    legacy = [HashKey(FERNET, k, legacy=True) for k in _derived_hash_keys(fernet, [])]
    return Keyring(
        cipher=writer,
        ciphers={c.kid: c for c in ciphers},
        fernet_keys=tuple(fernet),
        hash_key=versions[0],
        previous_hash_keys=tuple(versions[1:] + legacy),
    )


_state: dict = {"at": -STATE_TTL, "rotated": False}


def rotation_finished() -> bool:
    """Whether ``rotate_keys`` has finished under the current keys, so every row carries the current hash.
    Read at most once a minute per process; keys change only with a restart."""
    now = time.monotonic()
    if now - _state["at"] >= STATE_TTL:
        from shegong.core.models import KeyRotation  # noqa: PLC0415 (lib must not import apps at load time)

        try:
            _state["rotated"] = KeyRotation.objects.filter(
                version=keyring().version, finished_at__isnull=False
            ).exists()
        except DatabaseError:  # before `migrate` has made the table: nothing has been rotated yet
            _state["rotated"] = False
        _state["at"] = now
    return _state["rotated"]


def forget() -> None:
    """Drop the cached keyring and rotation state (after settings change or a rotation)."""
    keyring.cache_clear()
    _state["at"] = -STATE_TTL


@receiver(setting_changed)
def _on_setting_changed(*, setting, **kwargs):
    if setting.startswith("FIELD_") or setting == "SECRET_KEY":
        forget()


def normalise(text: str) -> str:
    return text.strip().upper()


def lookup_hash(text: str) -> str:
    return keyring().hash_key.digest(normalise(text))


def hash_candidates(text: str) -> list[str]:
    """The hashes a stored row for ``text`` may carry: the current one first; the others only until a
    rotation under the current keys has finished."""
    ring = keyring()
    value = normalise(text)
    if rotation_finished():
        return [ring.hash_key.digest(value)]
    return [ring.hash_key.digest(value)] + [k.digest(value) for k in ring.previous_hash_keys]
