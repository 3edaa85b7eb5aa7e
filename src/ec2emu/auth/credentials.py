"""Who an access key belongs to: the credential records and the sources that hold them.

A :class:`Credential` is one access key: its secret, its status, the :class:`Principal`
it signs as, and — for temporary credentials — the session token and expiry that must
come with it. A :class:`CredentialSource` answers ``find(access_key_id)``; a
:class:`CredentialChain` asks several in turn, so keys created through IAM (kept in the
database) can be added behind the same lookup as the configured ones.

Configured keys (:func:`configured_credentials`):

* the root of the default account ``000000000000`` signs with ``test`` / ``test``,
  always;
* more accounts, their root keys, users and the users' keys come from a TOML file
  (``ec2emu serve --accounts FILE``; ``examples/accounts.toml`` shows the format).

Choices where AWS is silent or does not apply:

* A user's unique ID (``aws:userid``) is ``AIDA`` followed by 17 characters derived from
  the account and user name, so it is stable across restarts; a root's is its account ID.
* An access key ID must be 1 to 128 characters of letters, digits and ``_`` (the IAM
  pattern ``[\\w]+``, without its lower bound of 16, so ``test`` stays valid); one key
  may appear only once across the whole file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Protocol

from ec2emu.config import DEFAULT_ACCOUNT

ROOT_ACCESS_KEY = "test"
ROOT_SECRET_KEY = "test"

PrincipalKind = Literal["root", "user", "assumed-role"]
KeyStatus = Literal["Active", "Inactive"]

_ACCOUNT_ID = re.compile(r"\d{12}")
_ACCESS_KEY = re.compile(r"\w{1,128}", re.ASCII)
_USER_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_PATH = re.compile(r"/|/[\x21-\x7e]*/")


class AccountsFileError(ValueError):
    """The accounts file cannot be read or does not have the documented shape."""


@dataclass(frozen=True)
class Principal:
    """The identity a request acts as."""

    account_id: str
    arn: str
    kind: PrincipalKind
    user_id: str
    user_name: str | None = None  # None for a root (aws:username is then absent)

    @property
    def is_root(self) -> bool:
        return self.kind == "root"


@dataclass(frozen=True)
class Credential:
    """One access key and what it proves."""

    access_key_id: str
    secret_access_key: str
    principal: Principal
    status: KeyStatus = "Active"
    # Temporary credentials (STS): the token the request must carry and when it lapses.
    session_token: str | None = None
    expires_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == "Active"


class CredentialSource(Protocol):
    def find(self, access_key_id: str) -> Credential | None: ...


@dataclass(frozen=True)
class StaticCredentials:
    """Credentials fixed for the life of the process (the configured ones)."""

    by_key: Mapping[str, Credential] = field(default_factory=dict)

    def find(self, access_key_id: str) -> Credential | None:
        return self.by_key.get(access_key_id)


class CredentialChain:
    """Ask each source in order; the first that knows the key answers."""

    def __init__(self, *sources: CredentialSource) -> None:
        self.sources = list(sources)

    def find(self, access_key_id: str) -> Credential | None:
        for source in self.sources:
            found = source.find(access_key_id)
            if found is not None:
                return found
        return None


def root_principal(account_id: str) -> Principal:
    return Principal(account_id, f"arn:aws:iam::{account_id}:root", "root", account_id)


def user_principal(account_id: str, user_name: str, path: str = "/") -> Principal:
    digest = hashlib.sha256(f"{account_id}/{user_name}".encode()).digest()
    suffix = base64.b32encode(digest).decode()[:17]
    return Principal(account_id, f"arn:aws:iam::{account_id}:user{path}{user_name}", "user",
                     f"AIDA{suffix}", user_name)


def default_root_credential() -> Credential:
    return Credential(ROOT_ACCESS_KEY, ROOT_SECRET_KEY, root_principal(DEFAULT_ACCOUNT))


def configured_credentials(accounts_file: Path | None = None) -> StaticCredentials:
    """The built-in ``test``/``test`` root key plus every key in ``accounts_file``."""
    records = [default_root_credential()]
    if accounts_file is not None:
        records += load_accounts_file(accounts_file)
    by_key: dict[str, Credential] = {}
    for record in records:
        if record.access_key_id in by_key:
            raise AccountsFileError(f"access key '{record.access_key_id}' is defined more than once")
        by_key[record.access_key_id] = record
    return StaticCredentials(by_key)


def load_accounts_file(path: Path) -> list[Credential]:
    """Every credential an accounts file defines (see ``examples/accounts.toml``)."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise AccountsFileError(f"{path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise AccountsFileError(f"{path}: not valid TOML: {error}") from error
    return list(parse_accounts(data, str(path)))


def parse_accounts(data: Mapping[str, Any], where: str = "accounts file") -> Iterable[Credential]:
    _only(data, {"accounts"}, where)
    accounts = data.get("accounts", [])
    if not isinstance(accounts, list):
        raise AccountsFileError(f"{where}: 'accounts' must be an array of tables ([[accounts]])")
    seen_accounts: set[str] = set()
    for index, account in enumerate(accounts, 1):
        here = f"{where}: accounts[{index}]"
        if not isinstance(account, dict):
            raise AccountsFileError(f"{here} must be a table")
        _only(account, {"account_id", "root_keys", "users"}, here)
        account_id = account.get("account_id")
        if not isinstance(account_id, str) or not _ACCOUNT_ID.fullmatch(account_id):
            raise AccountsFileError(f"{here}: account_id must be a string of 12 digits")
        if account_id in seen_accounts:
            raise AccountsFileError(f"{here}: account {account_id} is defined more than once")
        seen_accounts.add(account_id)
        root = root_principal(account_id)
        for key in _keys(account.get("root_keys", []), f"{here}.root_keys"):
            yield Credential(key[0], key[1], root, key[2])
        users = account.get("users", [])
        if not isinstance(users, list):
            raise AccountsFileError(f"{here}: 'users' must be an array of tables ([[accounts.users]])")
        names: set[str] = set()
        for user_index, user in enumerate(users, 1):
            there = f"{here}.users[{user_index}]"
            if not isinstance(user, dict):
                raise AccountsFileError(f"{there} must be a table")
            _only(user, {"user_name", "path", "access_keys"}, there)
            name = user.get("user_name")
            if not isinstance(name, str) or not _USER_NAME.fullmatch(name):
                raise AccountsFileError(f"{there}: user_name must be 1 to 64 of letters, digits and +=,.@_-")
            if name.lower() in names:  # IAM user names are unique case-insensitively
                raise AccountsFileError(f"{there}: user {name} is defined more than once")
            names.add(name.lower())
            path = user.get("path", "/")
            if not isinstance(path, str) or len(path) > 512 or not _PATH.fullmatch(path):
                raise AccountsFileError(f"{there}: path must begin and end with '/'")
            principal = user_principal(account_id, name, path)
            for key in _keys(user.get("access_keys", []), f"{there}.access_keys"):
                yield Credential(key[0], key[1], principal, key[2])


def _keys(items: Any, where: str) -> Iterable[tuple[str, str, KeyStatus]]:
    if not isinstance(items, list):
        raise AccountsFileError(f"{where} must be an array of tables")
    for index, item in enumerate(items, 1):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise AccountsFileError(f"{here} must be a table")
        _only(item, {"access_key_id", "secret_access_key", "status"}, here)
        key, secret = item.get("access_key_id"), item.get("secret_access_key")
        if not isinstance(key, str) or not _ACCESS_KEY.fullmatch(key):
            raise AccountsFileError(f"{here}: access_key_id must be 1 to 128 letters, digits or '_'")
        if not isinstance(secret, str) or not secret:
            raise AccountsFileError(f"{here}: secret_access_key must be a non-empty string")
        status = item.get("status", "Active")
        if status not in ("Active", "Inactive"):
            raise AccountsFileError(f"{here}: status must be 'Active' or 'Inactive'")
        yield key, secret, status


def _only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise AccountsFileError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                                f"expected {', '.join(sorted(allowed))}")
