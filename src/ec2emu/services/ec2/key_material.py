"""Key material of EC2 key pairs: new pairs with their private key in PEM or PuTTY's
PPK, public keys read from what ImportKeyPair is given, and fingerprints — all made with
the ``cryptography`` library; nothing here is stored or logged.

Fingerprints, as the EC2 User Guide ("Verify the fingerprint") and the networking fact
sheet (4.1) give them:

* a created RSA pair: SHA-1 of the private key as DER PKCS#8, colon-separated hex
  (``openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c``);
* an imported RSA key: MD5 of the public key as DER SubjectPublicKeyInfo, colon hex
  (``openssl pkey -pubout -outform DER | openssl md5 -c``; the API reference's "section 4
  of RFC 4716" would hash the SSH blob instead, but the guide and what AWS answers agree
  on the DER form);
* ED25519, created or imported: base64 of SHA-256 of the SSH public key blob, as OpenSSH
  6.8 and later print it, with its ``=`` padding and without OpenSSH's ``SHA256:`` prefix
  (the fact sheet marks both unverified; the padding is what EC2 shows).

Private material, as CreateKeyPair returns it: RSA (2048 bits, exponent 65537) as PEM is
unencrypted PKCS#1 (``-----BEGIN RSA PRIVATE KEY-----``), as the API reference says;
ED25519 as PEM is OpenSSH's own container (``-----BEGIN OPENSSH PRIVATE KEY-----``),
which is what ``ssh`` reads (AWS documents no container: a choice). Either as ``ppk`` is
PuTTY's format version 2 (:func:`ppk`), which every PuTTY since 0.52 reads — AWS does not
say which version it writes. The PEM text ends with a newline. The PPK comment is the
key pair's name, which is printable ASCII (the service checks it).

ImportKeyPair takes (:func:`read_public_key`) an OpenSSH public key line (``ssh-rsa`` or
``ssh-ed25519``, base64 blob, optional comment), an RFC 4716 SSH2 public key file (RSA),
or DER (RSA: SubjectPublicKeyInfo or PKCS#1) given as base64 text or as the bytes
themselves. RSA moduli of 1024 to 16384 bits are taken: the guide names 1024, 2048 and
4096, and 8192-bit keys are observed to be accepted (terraform-aws-modules/
terraform-aws-key-pair#16). DSA and ECDSA keys, and anything else, are refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

RSA_BITS = 2048
RSA_EXPONENT = 65537
MIN_IMPORTED_RSA_BITS = 1024
MAX_IMPORTED_RSA_BITS = 16384

_SSH_NAMES = {"rsa": "ssh-rsa", "ed25519": "ssh-ed25519"}
_SSH2_BEGIN = "---- BEGIN SSH2 PUBLIC KEY ----"
_SSH2_END = "---- END SSH2 PUBLIC KEY ----"
# PPK version 2: its MAC is HMAC-SHA-1 keyed by SHA-1 of this text and the passphrase
# (none: the file is not encrypted).
_PPK_MAC_KEY = hashlib.sha1(b"putty-private-key-file-mac-key").digest()
_PPK_LINE = 64  # base64 characters per line

PublicKey = rsa.RSAPublicKey | ed25519.Ed25519PublicKey
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class PublicHalf:
    """What is kept of a key pair: its type, the OpenSSH public key line (no comment) and
    the fingerprint."""

    key_type: str  # "rsa" or "ed25519"
    openssh: str
    fingerprint: str


@dataclass(frozen=True)
class NewKeyPair:
    public: PublicHalf
    material: str  # the private key, handed to the caller once


# --------------------------------------------------------------------------- fingerprints


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{byte:02x}" for byte in digest)


def _openssh_line(key: PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")


def ssh_blob(key: PublicKey) -> bytes:
    """The public key as the SSH wire format gives it (RFC 4253 6.6)."""
    return base64.b64decode(_openssh_line(key).split()[1])


def ed25519_fingerprint(key: ed25519.Ed25519PublicKey) -> str:
    return base64.b64encode(hashlib.sha256(ssh_blob(key)).digest()).decode("ascii")


def created_rsa_fingerprint(key: rsa.RSAPrivateKey) -> str:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return _colon_hex(hashlib.sha1(der, usedforsecurity=False).digest())


def imported_rsa_fingerprint(key: rsa.RSAPublicKey) -> str:
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _colon_hex(hashlib.md5(der, usedforsecurity=False).digest())


# --------------------------------------------------------------------------- new pairs


def new_key_pair(key_type: str, key_format: str, comment: str) -> NewKeyPair:
    """A fresh pair of ``key_type`` (rsa, ed25519), its private key as ``key_format``
    (pem, ppk) with ``comment`` (a PPK's)."""
    private: PrivateKey
    if key_type == "rsa":
        private = rsa.generate_private_key(public_exponent=RSA_EXPONENT, key_size=RSA_BITS)
        fingerprint = created_rsa_fingerprint(private)
        pem_format = serialization.PrivateFormat.TraditionalOpenSSL
    else:
        private = ed25519.Ed25519PrivateKey.generate()
        fingerprint = ed25519_fingerprint(private.public_key())
        pem_format = serialization.PrivateFormat.OpenSSH
    if key_format == "ppk":
        material = ppk(private, comment)
    else:
        material = private.private_bytes(serialization.Encoding.PEM, pem_format,
                                         serialization.NoEncryption()).decode("ascii")
    public = PublicHalf(key_type, _openssh_line(private.public_key()), fingerprint)
    return NewKeyPair(public, material)


def _string(data: bytes) -> bytes:
    """RFC 4251's ``string``: a uint32 length, then the bytes."""
    return struct.pack(">I", len(data)) + data


def _mpint(value: int) -> bytes:
    """RFC 4251's ``mpint`` of a non-negative integer: big-endian two's complement in as
    few bytes as hold it, so a zero byte leads when the top bit would be set."""
    if value == 0:
        return _string(b"")
    return _string(value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _ppk_private_blob(private: PrivateKey) -> bytes:
    """PuTTY's private half: for RSA the private exponent, the primes p and q and
    q⁻¹ mod p; for ED25519 the 32-byte secret (the public half is in the public blob)."""
    if isinstance(private, rsa.RSAPrivateKey):
        numbers = private.private_numbers()
        return b"".join(_mpint(value) for value in (numbers.d, numbers.p, numbers.q, numbers.iqmp))
    secret = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                   serialization.NoEncryption())
    return _string(secret)


def _ppk_lines(blob: bytes) -> list[str]:
    text = base64.b64encode(blob).decode("ascii")
    return [text[start : start + _PPK_LINE] for start in range(0, len(text), _PPK_LINE)]


def ppk(private: PrivateKey, comment: str) -> str:
    """The private key as an unencrypted PuTTY key file, format version 2 (PuTTY manual,
    appendix C): header lines, the public and private blobs in base64 lines of 64
    characters, and a MAC over the algorithm, encryption, comment and both blobs."""
    algorithm = _openssh_line(private.public_key()).split()[0]
    public_blob = ssh_blob(private.public_key())
    private_blob = _ppk_private_blob(private)
    signed = b"".join(_string(part) for part in (algorithm.encode("ascii"), b"none", comment.encode("ascii"),
                                                  public_blob, private_blob))
    mac = hmac.new(_PPK_MAC_KEY, signed, hashlib.sha1).hexdigest()
    public_lines, private_lines = _ppk_lines(public_blob), _ppk_lines(private_blob)
    lines = [f"PuTTY-User-Key-File-2: {algorithm}", "Encryption: none", f"Comment: {comment}",
             f"Public-Lines: {len(public_lines)}", *public_lines,
             f"Private-Lines: {len(private_lines)}", *private_lines,
             f"Private-MAC: {mac}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- imported keys


def read_public_key(material: bytes) -> PublicHalf | None:
    """The public key ImportKeyPair is given, or ``None`` when it is not one EC2 takes."""
    key = _loaded(material)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return PublicHalf("ed25519", _openssh_line(key), ed25519_fingerprint(key))
    if isinstance(key, rsa.RSAPublicKey) and MIN_IMPORTED_RSA_BITS <= key.key_size <= MAX_IMPORTED_RSA_BITS:
        return PublicHalf("rsa", _openssh_line(key), imported_rsa_fingerprint(key))
    return None


def _loaded(material: bytes) -> object | None:
    """The key in ``material`` in whichever accepted form it has (ED25519 only as an
    OpenSSH line), or ``None``."""
    try:
        text = material.decode("ascii").strip()
    except UnicodeDecodeError:
        return _rsa_from_der(material)
    if text.startswith(_SSH2_BEGIN):
        key = _from_rfc4716(text)
        return key if isinstance(key, rsa.RSAPublicKey) else None
    fields = text.split()
    if len(fields) >= 2 and fields[0] in _SSH_NAMES.values():
        return _from_ssh_blob(fields[0], fields[1]) if "\n" not in text else None
    try:
        der = base64.b64decode("".join(fields), validate=True)
    except (binascii.Error, ValueError):
        return _rsa_from_der(material)
    return _rsa_from_der(der) or _rsa_from_der(material)


def _from_ssh_blob(name: str, encoded: str) -> object | None:
    """The key of an OpenSSH line's type and base64 blob; the blob must say the same type."""
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if blob[:4 + len(name)] != _string(name.encode("ascii")):
        return None
    try:
        return serialization.load_ssh_public_key(f"{name} {encoded}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm):
        return None


def _from_rfc4716(text: str) -> object | None:
    """An RFC 4716 file: header lines (``Tag: value``, continued with a trailing ``\\``)
    then the base64 blob, between the BEGIN and END lines."""
    lines = [line.strip() for line in text.splitlines()]
    if lines[-1] != _SSH2_END:
        return None
    body, continued = [], False
    for line in lines[1:-1]:
        if continued or ":" in line:
            continued = line.endswith("\\")
        elif line:
            body.append(line)
    encoded = "".join(body)
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(blob) < 4:
        return None
    (length,) = struct.unpack(">I", blob[:4])
    name = blob[4 : 4 + length].decode("ascii", "replace")
    return _from_ssh_blob(name, encoded) if name in _SSH_NAMES.values() else None


def _rsa_from_der(der: bytes) -> rsa.RSAPublicKey | None:
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None
