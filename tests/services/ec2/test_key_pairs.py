"""Key pairs through boto3: CreateKeyPair (RSA and ED25519, PEM and PPK), ImportKeyPair
(every accepted form, every refused one), DescribeKeyPairs (names, IDs, filters, the
public key), DeleteKeyPair, tags, the quota, RunInstances' ``KeyName``, IAM and accounts.

Fingerprints and key material are checked independently here, with ``cryptography`` and
``hashlib`` computing what the networking fact sheet (4.1) says EC2 computes, and PuTTY
files read by a parser of this file's own. Every refused request is checked for AWS's
error and for having changed nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

from ec2emu.app import Emulator
from tests.helpers import error_of, launch, states
from tests.services.shared import test_permissions
from tests.services.shared.test_permissions import ROOT_A, ROOT_B, UNAUTHORIZED, new_user

# The fixtures of the accounts file's emulator (``app``) and its clients (``make``), as the
# permission tests have them.
app, make = test_permissions.app, test_permissions.make
KEY_ID = re.compile(r"key-[0-9a-f]{17}")
INVALID_FORMAT = {"Code": "InvalidKey.Format", "Message": "Key is not in valid OpenSSH public key format",
                  "Status": 400}


# --------------------------------------------------------------------------- independent reckoning


def sha1_of_pkcs8(private: rsa.RSAPrivateKey) -> str:
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return ":".join(f"{b:02x}" for b in hashlib.sha1(der).digest())


def md5_of_spki(public: rsa.RSAPublicKey) -> str:
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())


def openssh(public: Any) -> str:
    return str(public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode())


def sha256_of_blob(public: Any) -> str:
    blob = base64.b64decode(openssh(public).split()[1])
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


def described(ec2: Any, name: str) -> dict[str, Any]:
    [pair] = ec2.describe_key_pairs(KeyNames=[name], IncludePublicKey=True)["KeyPairs"]
    return dict(pair)


def names(ec2: Any, **kwargs: Any) -> list[str]:
    return [pair["KeyName"] for pair in ec2.describe_key_pairs(**kwargs)["KeyPairs"]]


def ssh_wire(name: bytes, *numbers: int) -> bytes:
    """A public key blob in base64: its type and its numbers as RFC 4251 mpints."""
    parts = [name, *(value.to_bytes(value.bit_length() // 8 + 1, "big") for value in numbers)]
    return base64.b64encode(b"".join(struct.pack(">I", len(part)) + part for part in parts))


class Reader:
    """RFC 4251 values read off a byte string."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def string(self) -> bytes:
        (length,) = struct.unpack(">I", self.data[self.at:self.at + 4])
        value = self.data[self.at + 4:self.at + 4 + length]
        self.at += 4 + length
        return value

    def mpint(self) -> int:
        raw = self.string()
        assert not raw or raw[0] < 0x80, "an mpint here is never negative"
        assert len(raw) < 2 or raw[0] != 0 or raw[1] >= 0x80, "no needless leading zero"
        return int.from_bytes(raw, "big")

    def done(self) -> bool:
        return self.at == len(self.data)


def read_ppk(text: str) -> dict[str, Any]:
    """A PuTTY key file, version 2, unencrypted: its fields, blobs and checked MAC."""
    lines = text.split("\n")
    assert lines[-1] == "" and "\r" not in text
    header = dict(line.split(": ", 1) for line in lines[:3])
    algorithm = header.pop("PuTTY-User-Key-File-2")
    at = 3
    blobs = []
    for name in ("Public-Lines", "Private-Lines"):
        label, count = lines[at].split(": ")
        assert label == name
        body = lines[at + 1:at + 1 + int(count)]
        assert all(len(line) == 64 for line in body[:-1]) and 0 < len(body[-1]) <= 64
        blobs.append(base64.b64decode("".join(body)))
        at += 1 + int(count)
    label, mac = lines[at].split(": ")
    assert label == "Private-MAC" and lines[at + 1:] == [""]
    fields = [algorithm.encode(), header["Encryption"].encode(), header["Comment"].encode(), *blobs]
    signed = b"".join(struct.pack(">I", len(field)) + field for field in fields)
    key = hashlib.sha1(b"putty-private-key-file-mac-key").digest()
    assert hmac.new(key, signed, hashlib.sha1).hexdigest() == mac
    return {"algorithm": algorithm, "encryption": header["Encryption"], "comment": header["Comment"],
            "public": blobs[0], "private": blobs[1]}


# --------------------------------------------------------------------------- CreateKeyPair


def test_a_created_rsa_pair_is_pkcs1_pem_of_2048_bits_with_the_sha1_fingerprint(ec2: Any, clock: Any) -> None:
    clock.advance(90)
    created = ec2.create_key_pair(KeyName="deployer")
    assert KEY_ID.fullmatch(created["KeyPairId"]) and created["KeyName"] == "deployer"
    assert "Tags" not in created
    material = created["KeyMaterial"]
    assert material.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert material.endswith("-----END RSA PRIVATE KEY-----\n")
    private = serialization.load_pem_private_key(material.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert (private.key_size, private.public_key().public_numbers().e) == (2048, 65537)
    assert created["KeyFingerprint"] == sha1_of_pkcs8(private)
    pair = described(ec2, "deployer")
    assert pair["PublicKey"] == openssh(private.public_key())
    assert (pair["KeyPairId"], pair["KeyType"], pair["KeyFingerprint"], pair["Tags"]) == (
        created["KeyPairId"], "rsa", created["KeyFingerprint"], [])
    assert pair["CreateTime"] == clock.now()  # the emulated time


def test_a_created_ed25519_pair_is_openssh_pem_with_the_sha256_fingerprint(ec2: Any) -> None:
    created = ec2.create_key_pair(KeyName="edward", KeyType="ed25519", KeyFormat="pem")
    material = created["KeyMaterial"]
    assert material.startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    private = serialization.load_ssh_private_key(material.encode(), password=None)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    fingerprint = sha256_of_blob(private.public_key())
    assert created["KeyFingerprint"] == fingerprint and len(fingerprint) == 44 and fingerprint.endswith("=")
    pair = described(ec2, "edward")
    assert (pair["KeyType"], pair["PublicKey"]) == ("ed25519", openssh(private.public_key()))


def test_a_created_rsa_pair_as_ppk_is_a_puttygen_file_of_that_key(ec2: Any) -> None:
    created = ec2.create_key_pair(KeyName="putty-rsa", KeyFormat="ppk")
    ppk = read_ppk(created["KeyMaterial"])
    assert (ppk["algorithm"], ppk["encryption"], ppk["comment"]) == ("ssh-rsa", "none", "putty-rsa")
    public = Reader(ppk["public"])
    assert public.string() == b"ssh-rsa"
    e, n = public.mpint(), public.mpint()
    assert public.done()
    private = Reader(ppk["private"])
    d, p, q, iqmp = (private.mpint() for _ in range(4))
    assert private.done()
    assert p * q == n and n.bit_length() == 2048 and e == 65537
    assert (iqmp * q) % p == 1 and pow(pow(7, e, n), d, n) == 7
    key = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), iqmp,
                                rsa.RSAPublicNumbers(e, n)).private_key()
    assert created["KeyFingerprint"] == sha1_of_pkcs8(key)
    assert described(ec2, "putty-rsa")["PublicKey"] == "ssh-rsa " + base64.b64encode(ppk["public"]).decode()


def test_a_created_ed25519_pair_as_ppk_holds_the_secret_of_its_public_key(ec2: Any) -> None:
    created = ec2.create_key_pair(KeyName="putty-ed", KeyType="ed25519", KeyFormat="ppk")
    ppk = read_ppk(created["KeyMaterial"])
    assert (ppk["algorithm"], ppk["comment"]) == ("ssh-ed25519", "putty-ed")
    public = Reader(ppk["public"])
    assert public.string() == b"ssh-ed25519"
    point = public.string()
    private = Reader(ppk["private"])
    secret = private.string()
    assert private.done() and len(secret) == 32
    key = ed25519.Ed25519PrivateKey.from_private_bytes(secret)
    assert key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == point
    assert created["KeyFingerprint"] == sha256_of_blob(key.public_key())


def output(*command: Any, data: bytes | None = None) -> bytes:
    return subprocess.run([str(part) for part in command], input=data, capture_output=True, check=True).stdout


@pytest.mark.skipif(not (shutil.which("openssl") and shutil.which("ssh-keygen")), reason="openssl, ssh-keygen")
def test_fingerprints_are_what_the_user_guides_commands_print(ec2: Any, tmp_path: Path) -> None:
    created = ec2.create_key_pair(KeyName="cli")
    pem = tmp_path / "cli.pem"
    pem.write_text(created["KeyMaterial"])
    pem.chmod(0o600)
    pkcs8 = output("openssl", "pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in", pem)
    assert output("openssl", "sha1", "-c", data=pkcs8).decode().split()[-1] == created["KeyFingerprint"]
    spki = output("openssl", "pkey", "-in", pem, "-pubout", "-outform", "DER")
    imported = ec2.import_key_pair(KeyName="cli-imported", PublicKeyMaterial=output("ssh-keygen", "-y", "-f", pem))
    assert output("openssl", "md5", "-c", data=spki).decode().split()[-1] == imported["KeyFingerprint"]
    made = ec2.create_key_pair(KeyName="cli-ed", KeyType="ed25519")
    ed = tmp_path / "cli-ed.pem"
    ed.write_text(made["KeyMaterial"])
    ed.chmod(0o600)
    assert output("ssh-keygen", "-y", "-f", ed).decode().split()[:2] == described(ec2, "cli-ed")["PublicKey"].split()
    printed = output("ssh-keygen", "-l", "-E", "sha256", "-f", ed).decode().split()[1]
    assert printed == "SHA256:" + made["KeyFingerprint"].rstrip("=")


@pytest.mark.skipif(not shutil.which("puttygen"), reason="puttygen (putty-tools)")
@pytest.mark.parametrize("key_type", ["rsa", "ed25519"])
def test_puttygen_reads_the_ppk_files(ec2: Any, tmp_path: Path, key_type: str) -> None:
    created = ec2.create_key_pair(KeyName=f"putty-{key_type}", KeyType=key_type, KeyFormat="ppk")
    ppk = tmp_path / "key.ppk"
    ppk.write_text(created["KeyMaterial"])
    output("puttygen", ppk, "-O", "public-openssh", "-o", tmp_path / "key.pub")
    assert (tmp_path / "key.pub").read_text().split()[:2] == described(ec2, f"putty-{key_type}")["PublicKey"].split()
    output("puttygen", ppk, "-O", "private-openssh", "-o", tmp_path / "key.pem")
    private = serialization.load_pem_private_key((tmp_path / "key.pem").read_bytes(), password=None) \
        if key_type == "rsa" else serialization.load_ssh_private_key((tmp_path / "key.pem").read_bytes(), None)
    assert openssh(private.public_key()) == described(ec2, f"putty-{key_type}")["PublicKey"]


def test_every_pair_is_new(ec2: Any) -> None:
    first = ec2.create_key_pair(KeyName="a", KeyType="ed25519")
    second = ec2.create_key_pair(KeyName="b", KeyType="ed25519")
    assert first["KeyMaterial"] != second["KeyMaterial"]
    assert first["KeyPairId"] != second["KeyPairId"] and first["KeyFingerprint"] != second["KeyFingerprint"]


def test_names_are_unique_per_account_and_region(ec2: Any, make_client: Any) -> None:
    ec2.create_key_pair(KeyName="machine", KeyType="ed25519")
    duplicate = {"Code": "InvalidKeyPair.Duplicate", "Message": "The keypair 'machine' already exists.",
                 "Status": 400}
    assert error_of(ec2.create_key_pair, KeyName="machine") == duplicate
    material = openssh(ed25519.Ed25519PrivateKey.generate().public_key()).encode()
    assert error_of(ec2.import_key_pair, KeyName="machine", PublicKeyMaterial=material) == duplicate
    assert names(ec2) == ["machine"]
    make_client("eu-west-1").create_key_pair(KeyName="machine", KeyType="ed25519")
    ec2.create_key_pair(KeyName="Machine", KeyType="ed25519")  # names are case-sensitive
    assert sorted(names(ec2)) == ["Machine", "machine"]


@pytest.mark.parametrize(("name", "error"), [
    ("k" * 256, {"Code": "InvalidParameterValue", "Status": 400,
                 "Message": f"Value ({'k' * 256}) for parameter KeyName is invalid. "
                            "Length exceeds maximum of 255 characters."}),
    ("clé", {"Code": "InvalidParameterValue", "Status": 400,
             "Message": "Value (clé) for parameter KeyName is invalid. "
                        "Key names may contain only printable ASCII characters."}),
    ("tab\there", {"Code": "InvalidParameterValue", "Status": 400,
                   "Message": "Value (tab\there) for parameter KeyName is invalid. "
                              "Key names may contain only printable ASCII characters."}),
    ("", {"Code": "MissingParameter", "Message": "The request must contain the parameter KeyName", "Status": 400}),
])
def test_names_are_up_to_255_printable_ascii_characters(ec2: Any, name: str, error: dict[str, Any]) -> None:
    assert error_of(ec2.create_key_pair, KeyName=name, KeyType="ed25519") == error
    material = openssh(ed25519.Ed25519PrivateKey.generate().public_key()).encode()
    assert error_of(ec2.import_key_pair, KeyName=name, PublicKeyMaterial=material) == error
    assert names(ec2) == []
    longest = "~ x" * 85
    ec2.create_key_pair(KeyName=longest, KeyType="ed25519")
    assert names(ec2) == [longest]


def test_key_type_and_format_are_the_models_enums(ec2: Any) -> None:
    error = error_of(ec2.create_key_pair, KeyName="k", KeyType="dsa")
    assert (error["Code"], error["Status"]) == ("InvalidParameterValue", 400)
    assert "Expected one of: rsa, ed25519" in error["Message"]
    error = error_of(ec2.create_key_pair, KeyName="k", KeyFormat="der")
    assert "Expected one of: pem, ppk" in error["Message"]
    assert names(ec2) == []


def test_dry_run_creates_imports_and_deletes_nothing(ec2: Any) -> None:
    dry = {"Code": "DryRunOperation", "Message": "Request would have succeeded, but DryRun flag is set.",
           "Status": 412}
    assert error_of(ec2.create_key_pair, KeyName="k", DryRun=True) == dry
    material = openssh(ed25519.Ed25519PrivateKey.generate().public_key()).encode()
    assert error_of(ec2.import_key_pair, KeyName="k", PublicKeyMaterial=material, DryRun=True) == dry
    assert names(ec2) == []
    ec2.create_key_pair(KeyName="k", KeyType="ed25519")
    assert error_of(ec2.delete_key_pair, KeyName="k", DryRun=True) == dry
    assert error_of(ec2.describe_key_pairs, DryRun=True) == dry
    assert names(ec2) == ["k"]


def test_the_quota_is_5000_pairs_per_account_and_region(ec2: Any, emulator: Emulator, make_client: Any) -> None:
    with emulator.store.unit_of_work() as uow:
        for index in range(5000):
            uow.key_pairs.insert({"key_pair_id": f"key-{index:017x}", "account_id": "000000000000",
                                  "region": "us-east-1", "key_name": f"bulk-{index}", "key_type": "ed25519",
                                  "fingerprint": f"f{index}", "public_key": "ssh-ed25519 x", "create_time": 0.0})
    limit = {"Code": "KeyPairLimitExceeded", "Status": 400,
             "Message": "You have reached the maximum of 5000 key pairs in this Region."}
    assert error_of(ec2.create_key_pair, KeyName="one-more", KeyType="ed25519") == limit
    material = openssh(ed25519.Ed25519PrivateKey.generate().public_key()).encode()
    assert error_of(ec2.import_key_pair, KeyName="one-more", PublicKeyMaterial=material) == limit
    assert ec2.describe_key_pairs(Filters=[{"Name": "key-name", "Values": ["one-more"]}])["KeyPairs"] == []
    make_client("us-west-2").create_key_pair(KeyName="one-more", KeyType="ed25519")
    ec2.delete_key_pair(KeyName="bulk-0")
    ec2.create_key_pair(KeyName="one-more", KeyType="ed25519")


def test_private_key_material_is_never_stored_or_logged(ec2: Any, emulator: Emulator,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    pem = ec2.create_key_pair(KeyName="secret-rsa")["KeyMaterial"]
    ppk = ec2.create_key_pair(KeyName="secret-ed", KeyType="ed25519", KeyFormat="ppk")["KeyMaterial"]
    private_lines = [pem.splitlines()[5], ppk.split("Private-Lines: 1\n")[1].splitlines()[0]]
    stored = []
    with emulator.store.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            stored += [str(value) for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')) for value in row]
    assert stored and not any(line in value for line in private_lines for value in stored)
    assert not any(word in value for word in ("PRIVATE", "PuTTY") for value in stored)
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("ec2emu"))
    assert "PRIVATE KEY" not in ours and not any(line in ours for line in private_lines)


# --------------------------------------------------------------------------- ImportKeyPair


def rfc4716(public: Any) -> bytes:
    body = openssh(public).split()[1]
    lines = [body[i:i + 70] for i in range(0, len(body), 70)]
    return "\n".join(["---- BEGIN SSH2 PUBLIC KEY ----", 'Comment: "2048-bit RSA, converted by me@host from \\',
                      'OpenSSH"', "x-made-by: a test", *lines, "---- END SSH2 PUBLIC KEY ----", ""]).encode()


RSA_FORMS = {
    "openssh line": lambda key: (openssh(key) + " me@laptop\n").encode(),
    "rfc 4716": rfc4716,
    "base64 der": lambda key: base64.b64encode(key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)),
    "der": lambda key: key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
    "base64 pkcs1 der": lambda key: base64.b64encode(key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.PKCS1)),
}


@pytest.fixture(scope="module")
def rsa_keys() -> dict[int, rsa.RSAPrivateKey]:
    return {bits: rsa.generate_private_key(public_exponent=65537, key_size=bits) for bits in (1024, 2048, 4096)}


@pytest.mark.parametrize("form", list(RSA_FORMS))
def test_an_imported_rsa_key_in_any_accepted_form_has_the_md5_fingerprint(
        ec2: Any, rsa_keys: dict[int, rsa.RSAPrivateKey], form: str) -> None:
    public = rsa_keys[2048].public_key()
    imported = ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=RSA_FORMS[form](public))
    assert KEY_ID.fullmatch(imported["KeyPairId"]) and imported["KeyName"] == "mine"
    assert imported["KeyFingerprint"] == md5_of_spki(public) and "KeyMaterial" not in imported
    pair = described(ec2, "mine")
    assert (pair["KeyType"], pair["PublicKey"], pair["KeyFingerprint"]) == ("rsa", openssh(public),
                                                                            imported["KeyFingerprint"])


@pytest.mark.parametrize("bits", [1024, 2048, 4096])
def test_rsa_keys_of_1024_2048_and_4096_bits_are_imported(
        ec2: Any, rsa_keys: dict[int, rsa.RSAPrivateKey], bits: int) -> None:
    public = rsa_keys[bits].public_key()
    imported = ec2.import_key_pair(KeyName=f"rsa-{bits}", PublicKeyMaterial=openssh(public).encode())
    assert imported["KeyFingerprint"] == md5_of_spki(public)


def test_an_imported_ed25519_key_has_the_sha256_fingerprint(ec2: Any) -> None:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    imported = ec2.import_key_pair(KeyName="ed", PublicKeyMaterial=(openssh(public) + " me@host").encode(),
                                   TagSpecifications=[{"ResourceType": "key-pair",
                                                       "Tags": [{"Key": "team", "Value": "ops"}]}])
    assert imported["KeyFingerprint"] == sha256_of_blob(public)
    assert imported["Tags"] == [{"Key": "team", "Value": "ops"}]
    pair = described(ec2, "ed")
    assert (pair["KeyType"], pair["PublicKey"], pair["Tags"]) == ("ed25519", openssh(public),
                                                                  [{"Key": "team", "Value": "ops"}])


def test_a_created_public_key_imported_again_gets_the_import_fingerprint(ec2: Any) -> None:
    created = ec2.create_key_pair(KeyName="made-here")
    public = serialization.load_pem_private_key(created["KeyMaterial"].encode(), password=None).public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    imported = ec2.import_key_pair(KeyName="brought-back", PublicKeyMaterial=openssh(public).encode())
    assert imported["KeyFingerprint"] == md5_of_spki(public) != created["KeyFingerprint"]


def refused_materials() -> dict[str, bytes]:
    ecdsa = ec.generate_private_key(ec.SECP256R1())
    dsa_numbers = dsa.generate_private_key(key_size=1024).public_key().public_numbers()
    group = dsa_numbers.parameter_numbers
    rsa_line = openssh(rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key())
    ed_line = openssh(ed25519.Ed25519PrivateKey.generate().public_key())
    return {
        "ecdsa": openssh(ecdsa.public_key()).encode(),
        # Written by hand: cryptography deprecates DSA in SSH form.
        "dsa": b"ssh-dss " + ssh_wire(b"ssh-dss", group.p, group.q, group.g, dsa_numbers.y),
        "ed25519 as der": ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        "ecdsa as rfc 4716": rfc4716(ecdsa.public_key()),
        "a private key": ecdsa.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()),
        "garbage": b"this is not a key",
        "empty": b"",
        "a truncated blob": (rsa_line[:60] + " me").encode(),
        "a type that is not the blob's": ("ssh-ed25519 " + rsa_line.split()[1]).encode(),
        "two keys": (ed_line + "\n" + ed_line).encode(),
        "options before the key": ('from="10.0.0.1" ' + ed_line).encode(),
        "binary": bytes(range(256)),
    }


def test_public_keys_ec2_does_not_take_are_refused_and_nothing_is_imported(ec2: Any) -> None:
    for label, material in refused_materials().items():
        assert error_of(ec2.import_key_pair, KeyName="k", PublicKeyMaterial=material) == INVALID_FORMAT, label
    assert names(ec2) == []


def test_an_rsa_key_under_1024_bits_is_refused(ec2: Any) -> None:
    # 768 bits: cryptography will not make one, so its public numbers are written by hand.
    material = b"ssh-rsa " + ssh_wire(b"ssh-rsa", 65537, (1 << 767) | 0xC0FFEE1)
    assert error_of(ec2.import_key_pair, KeyName="small", PublicKeyMaterial=material) == INVALID_FORMAT
    assert names(ec2) == []


# --------------------------------------------------------------------------- DescribeKeyPairs


def three_pairs(ec2: Any) -> dict[str, dict[str, Any]]:
    tags = [{"ResourceType": "key-pair", "Tags": [{"Key": "env", "Value": "prod"}]}]
    return {"web-1": ec2.create_key_pair(KeyName="web-1", KeyType="ed25519", TagSpecifications=tags),
            "web-2": ec2.create_key_pair(KeyName="web-2", KeyType="ed25519"),
            "db": ec2.create_key_pair(KeyName="db", KeyType="rsa")}


def test_describe_by_name_and_id_and_both(ec2: Any) -> None:
    made = three_pairs(ec2)
    by_id = sorted(made, key=lambda name: made[name]["KeyPairId"])
    assert names(ec2) == by_id  # in ID order
    assert names(ec2, KeyNames=["db", "web-1", "db"]) == ["db", "web-1"]
    assert names(ec2, KeyPairIds=[made["web-2"]["KeyPairId"]]) == ["web-2"]
    assert names(ec2, KeyNames=["db"], KeyPairIds=[made["web-2"]["KeyPairId"], made["db"]["KeyPairId"]]) == [
        "db", "web-2"]
    [pair] = ec2.describe_key_pairs(KeyNames=["web-1"])["KeyPairs"]
    assert "PublicKey" not in pair and pair["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert set(pair) == {"KeyPairId", "KeyType", "Tags", "KeyName", "KeyFingerprint", "CreateTime"}
    ec2.get_waiter("key_pair_exists").wait(KeyNames=["db"], WaiterConfig={"Delay": 0, "MaxAttempts": 1})


def test_describe_names_what_does_not_exist(ec2: Any) -> None:
    made = three_pairs(ec2)
    missing_id, other = "key-0123456789abcdef0", "key-0123456789abcdef1"
    cases = [
        ({"KeyNames": ["learn-vault-key"]}, "The key pair 'learn-vault-key' does not exist"),
        ({"KeyNames": ["db", "nope", "nada"]}, "The key pairs 'nope, nada' do not exist"),
        ({"KeyPairIds": [missing_id]}, f"The key pair ID '{missing_id}' does not exist"),
        ({"KeyPairIds": [made["db"]["KeyPairId"], missing_id, other]},
         f"The key pair IDs '{missing_id}, {other}' do not exist"),
        ({"KeyPairIds": ["db"]}, "The key pair ID 'db' does not exist"),
        ({"KeyNames": ["db"], "KeyPairIds": [missing_id]}, f"The key pair ID '{missing_id}' does not exist"),
    ]
    for kwargs, message in cases:
        assert error_of(ec2.describe_key_pairs, **kwargs) == {"Code": "InvalidKeyPair.NotFound",
                                                              "Message": message, "Status": 400}, kwargs


def test_describe_filters(ec2: Any) -> None:
    made = three_pairs(ec2)

    def filtered(name: str, *values: str, **kwargs: Any) -> list[str]:
        return sorted(names(ec2, Filters=[{"Name": name, "Values": list(values)}], **kwargs))

    assert filtered("key-name", "web-*") == ["web-1", "web-2"]
    assert filtered("key-name", "web-?", "db") == ["db", "web-1", "web-2"]
    assert filtered("key-pair-id", made["db"]["KeyPairId"]) == ["db"]
    assert filtered("fingerprint", made["web-2"]["KeyFingerprint"]) == ["web-2"]
    assert filtered("key-type", "rsa") == ["db"]
    assert filtered("key-type", "ed25519") == ["web-1", "web-2"]
    assert filtered("tag:env", "prod") == ["web-1"]
    assert filtered("tag-key", "env") == ["web-1"]
    assert filtered("tag:env", "dev") == []
    assert filtered("key-name", "web-*", KeyNames=["web-2", "db"]) == ["web-2"]
    assert error_of(ec2.describe_key_pairs, Filters=[{"Name": "owner-id", "Values": ["x"]}]) == {
        "Code": "InvalidParameterValue", "Message": "The filter 'owner-id' is invalid", "Status": 400}


# --------------------------------------------------------------------------- DeleteKeyPair, tags


def test_delete_by_name_or_id_and_a_missing_pair_is_no_error(ec2: Any) -> None:
    made = three_pairs(ec2)
    answer = ec2.delete_key_pair(KeyName="web-1")
    assert (answer["Return"], answer["KeyPairId"]) == (True, made["web-1"]["KeyPairId"])
    assert error_of(ec2.describe_key_pairs, KeyNames=["web-1"])["Code"] == "InvalidKeyPair.NotFound"
    assert ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["key-pair"]}])["Tags"] == []
    answer = ec2.delete_key_pair(KeyPairId=made["db"]["KeyPairId"])
    assert (answer["Return"], answer["KeyPairId"]) == (True, made["db"]["KeyPairId"])
    for missing in ({"KeyName": "web-1"}, {"KeyPairId": "key-0123456789abcdef0"}, {"KeyPairId": "nonsense"},
                    {"KeyName": "db", "KeyPairId": made["web-2"]["KeyPairId"]}):
        answer = ec2.delete_key_pair(**missing)
        assert answer["Return"] is True and "KeyPairId" not in answer, missing
    assert names(ec2) == ["web-2"]
    assert ec2.delete_key_pair(KeyName="web-2", KeyPairId=made["web-2"]["KeyPairId"])["Return"] is True
    assert names(ec2) == []
    assert error_of(ec2.delete_key_pair) == {
        "Code": "MissingParameter", "Message": "The request must contain the parameter KeyName", "Status": 400}


def test_tags_on_key_pairs(ec2: Any) -> None:
    made = three_pairs(ec2)
    db = made["db"]["KeyPairId"]
    ec2.create_tags(Resources=[db], Tags=[{"Key": "env", "Value": "prod"}, {"Key": "tier", "Value": "data"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["key-pair"]}])["Tags"]
    assert {(t["ResourceId"], t["Key"], t["ResourceType"]) for t in tags} == {
        (db, "env", "key-pair"), (db, "tier", "key-pair"), (made["web-1"]["KeyPairId"], "env", "key-pair")}
    assert sorted(names(ec2, Filters=[{"Name": "tag:env", "Values": ["prod"]}])) == ["db", "web-1"]
    ec2.delete_tags(Resources=[db], Tags=[{"Key": "env"}])
    assert described(ec2, "db")["Tags"] == [{"Key": "tier", "Value": "data"}]
    missing = "key-0123456789abcdef0"
    assert error_of(ec2.create_tags, Resources=[missing], Tags=[{"Key": "a", "Value": "b"}]) == {
        "Code": "InvalidKeyPair.NotFound", "Message": f"The key pair ID '{missing}' does not exist", "Status": 400}
    wrong = [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}]
    error = error_of(ec2.create_key_pair, KeyName="x", TagSpecifications=wrong)
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValue", "'instance' is not a valid taggable resource type for this operation.")
    assert "x" not in names(ec2)


# --------------------------------------------------------------------------- RunInstances


def test_run_instances_needs_an_existing_key_pair_and_shows_its_name(ec2: Any) -> None:
    assert error_of(launch, ec2, 2, KeyName="learn-vault-key") == {
        "Code": "InvalidKeyPair.NotFound", "Message": "The key pair 'learn-vault-key' does not exist", "Status": 400}
    assert ec2.describe_instances()["Reservations"] == []
    ec2.create_key_pair(KeyName="deployer", KeyType="ed25519")
    [instance_id] = launch(ec2, 1, KeyName="deployer")
    ec2.delete_key_pair(KeyName="deployer")
    [instance] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    assert instance["KeyName"] == "deployer" and states(ec2, [instance_id]) == {instance_id: "pending"}
    assert error_of(launch, ec2, 1, KeyName="deployer")["Code"] == "InvalidKeyPair.NotFound"


# --------------------------------------------------------------------------- IAM and accounts


def test_accounts_never_see_each_others_key_pairs(make: Any) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    made = a.create_key_pair(KeyName="shared-name", KeyType="ed25519")
    assert b.describe_key_pairs()["KeyPairs"] == []
    assert error_of(b.describe_key_pairs, KeyNames=["shared-name"])["Code"] == "InvalidKeyPair.NotFound"
    assert error_of(b.describe_key_pairs, KeyPairIds=[made["KeyPairId"]])["Code"] == "InvalidKeyPair.NotFound"
    assert "KeyPairId" not in b.delete_key_pair(KeyPairId=made["KeyPairId"])
    b.create_key_pair(KeyName="shared-name", KeyType="ed25519")
    assert error_of(launch, b, 1, KeyName="other")["Code"] == "InvalidKeyPair.NotFound"
    assert [p["KeyPairId"] for p in a.describe_key_pairs()["KeyPairs"]] == [made["KeyPairId"]]


def test_key_pair_actions_check_the_key_pair_arn(make: Any) -> None:
    arn = "arn:aws:ec2:us-east-1:111111111111:key-pair/"
    keys = new_user(make, "keymaster",
                    {"Effect": "Allow", "Action": ["ec2:CreateKeyPair", "ec2:ImportKeyPair"],
                     "Resource": arn + "dev-*", "Condition": {"StringEquals": {"ec2:KeyPairType": ["ed25519"]}}},
                    {"Effect": "Allow", "Action": "ec2:ImportKeyPair", "Resource": arn + "dev-*"},
                    {"Effect": "Allow", "Action": "ec2:DeleteKeyPair", "Resource": arn + "*",
                     "Condition": {"StringEquals": {"ec2:ResourceTag/owner": "keymaster"}}},
                    {"Effect": "Allow", "Action": "ec2:DescribeKeyPairs", "Resource": "*"})
    user, root = make(keys), make(ROOT_A)
    user.create_key_pair(KeyName="dev-1", KeyType="ed25519")
    for refused in ({"KeyName": "prod-1", "KeyType": "ed25519"}, {"KeyName": "dev-2", "KeyType": "rsa"}):
        error = error_of(user.create_key_pair, **refused)
        assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
        assert error["Message"].startswith(UNAUTHORIZED + " Encoded authorization failure message: ")
    material = openssh(ed25519.Ed25519PrivateKey.generate().public_key()).encode()
    user.import_key_pair(KeyName="dev-imported", PublicKeyMaterial=material)
    assert error_of(user.import_key_pair, KeyName="ops", PublicKeyMaterial=material)["Code"] == "UnauthorizedOperation"
    tagged = [{"ResourceType": "key-pair", "Tags": [{"Key": "owner", "Value": "keymaster"}]}]
    assert error_of(user.create_key_pair, KeyName="dev-3", KeyType="ed25519",
                    TagSpecifications=tagged)["Code"] == "UnauthorizedOperation"  # needs ec2:CreateTags
    root.create_key_pair(KeyName="mine", KeyType="ed25519", TagSpecifications=tagged)
    root.create_key_pair(KeyName="theirs", KeyType="ed25519")
    assert error_of(user.delete_key_pair, KeyName="theirs")["Code"] == "UnauthorizedOperation"
    assert error_of(user.delete_key_pair, KeyName="never-made")["Code"] == "UnauthorizedOperation"
    assert user.delete_key_pair(KeyName="mine")["Return"] is True
    assert sorted(names(user)) == ["dev-1", "dev-imported", "theirs"]


def test_run_instances_checks_the_key_pair(make: Any) -> None:
    root = make(ROOT_A)
    root.create_key_pair(KeyName="ops", KeyType="ed25519")
    root.create_key_pair(KeyName="dev", KeyType="ed25519")
    keys = new_user(make, "launcher", {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
                     "Condition": {"StringEquals": {"ec2:KeyPairName": "ops"}}})
    user = make(keys)
    error = error_of(launch, user, 1, KeyName="ops")
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    assert user.describe_instances()["Reservations"] == []
    [instance_id] = launch(user, 1, KeyName="dev")
    assert states(user, [instance_id]) == {instance_id: "pending"}
