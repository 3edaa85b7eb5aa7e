"""Who an access key belongs to: the credential records and the sources that hold them.

A :class:`Credential` is one access key: its secret, its status, the :class:`Principal`
it signs as, and — for temporary credentials — the session token and expiry that must
come with it. A :class:`CredentialSource` answers ``find(access_key_id)``; a
:class:`CredentialChain` asks several in turn, so keys created through IAM (kept in the
database) can be added behind the same lookup as the configured ones.

Keys created through IAM and the temporary credentials of STS sessions live in the
database: :class:`StoreCredentials` finds them, asked after the configured keys.

Configured keys (:func:`configured_credentials`):

* the root of the default account ``000000000000`` signs with ``test`` / ``test``,
  always;
* more accounts, their root keys, users and the users' keys come from a TOML file
  (``ec2emu serve --accounts FILE``; ``examples/accounts.toml`` shows the format); an
  account's ``quotas`` table is checked here and read by :mod:`ec2emu.quotas`.

Choices where AWS is silent or does not apply:

* A user's unique ID (``aws:userid``) is ``AIDA`` followed by 17 characters derived from
  the account and user name, so it is stable across restarts; a root's is its account ID.
* The file's users are made IAM users at start-up (:func:`configured_users`), with that
  same ID, when their account has no user of that name yet; their keys stay here, governed
  by the file, not by IAM's key operations.
* An assumed role's principal is ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`` with
  ``user_id`` ``ROLEID:SESSION``; it carries ``role_name`` and ``session_name``.
* An access key ID must be 1 to 128 characters of letters, digits and ``_`` (the IAM
  pattern ``[\\w]+``, without its lower bound of 16, so ``test`` stays valid); one key
  may appear only once across the whole file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from ec2emu.config import DEFAULT_ACCOUNT
from ec2emu.quotas import parse_quotas

if TYPE_CHECKING:
    from ec2emu.store.iam import IamRepository

ROOT_ACCESS_KEY = "test"
ROOT_SECRET_KEY = "test"

PrincipalKind = Literal["root", "user", "assumed-role"]
KeyStatus = Literal["Active", "Inactive"]

_ACCOUNT_ID = re.compile(r"\d{12}")
_ACCESS_KEY = re.compile(r"\w{1,128}", re.ASCII)
_USER_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_PATH = re.compile(r"/|/[\x21-\x7e]{0,510}/")  # at most 512 characters
_SECRET = re.compile(r".+", re.DOTALL)
_STATUS = re.compile(r"Active|Inactive")
_ISSUED_KEY = re.compile(r"(AKIA|ASIA)[A-Z0-9]{16}")


class AccountsFileError(ValueError):
    """The accounts file cannot be read or does not have the documented shape."""


@dataclass(frozen=True)
class SessionScope:
    """What ``AssumeRole``'s caller passed along with the session: an inline session
    policy and managed session policy ARNs (they narrow the role's permissions), and
    session tags (``aws:PrincipalTag/…``) with the keys passed on to a chained role."""

    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()

    @property
    def narrows(self) -> bool:
        return self.policy is not None or bool(self.policy_arns)


@dataclass(frozen=True)
class Principal:
    """The identity a request acts as."""

    account_id: str
    arn: str
    kind: PrincipalKind
    user_id: str
    user_name: str | None = None  # None for a root (aws:username is then absent)
    # An assumed role's session: the role's name and the session's name.
    role_name: str | None = None
    session_name: str | None = None
    session_scope: SessionScope | None = None

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


class StoreCredentials:
    """Access keys kept in the database: keys created through IAM's ``CreateAccessKey``
    (``AKIA…``) and the temporary credentials of STS sessions (``ASIA…``).

    Each look-up reads a primary key through ``read``, which runs a function on the IAM
    repository — the request's own, so authentication is part of the request's one
    transaction. Only IDs shaped like the ones this endpoint issues (``AKIA`` or
    ``ASIA`` and 16 upper-case letters or digits) are looked up, so the ``test`` key and
    arbitrary keys accepted in permissive mode never cost a database read. A session's
    expiry is in the emulator's time (see :func:`ec2emu.auth.sigv4.authenticate`).
    """

    def __init__(self, read: Callable[[Callable[[IamRepository], Any]], Any]) -> None:
        self.read = read

    def find(self, access_key_id: str) -> Credential | None:
        if not _ISSUED_KEY.fullmatch(access_key_id):
            return None
        if access_key_id.startswith("ASIA"):
            session = self.read(lambda iam: iam.find_session(access_key_id))
            return None if session is None else session_credential(session)
        key = self.read(lambda iam: iam.find_access_key(access_key_id))
        if key is None:
            return None
        principal = Principal(key["account_id"], key["arn"], "user", key["user_id"], key["user_name"])
        return Credential(key["access_key_id"], key["secret"], principal, key["status"])


def session_credential(session: Mapping[str, Any]) -> Credential:
    """The credential of an STS session row (``IamRepository.find_session``)."""
    account_id, role_name, session_name = session["account_id"], session["role_name"], session["session_name"]
    scope = SessionScope(
        session.get("session_policy"),
        tuple(json.loads(session.get("session_policy_arns") or "[]")),
        tuple((key, value) for key, value in json.loads(session.get("session_tags") or "[]")),
        tuple(json.loads(session.get("transitive_tag_keys") or "[]")),
    )
    principal = Principal(
        account_id, f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}", "assumed-role",
        f"{session['role_id']}:{session_name}", None, role_name, session_name, scope,
    )
    expires = dt.datetime.fromtimestamp(session["expires_at"], dt.timezone.utc)
    return Credential(session["access_key_id"], session["secret_access_key"], principal,
                      session_token=session["session_token"], expires_at=expires)


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
    keys: set[str] = set()
    for record in records:
        _once(keys, record.access_key_id, f"access key '{record.access_key_id}' is defined more than once")
    return StaticCredentials({record.access_key_id: record for record in records})


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


def configured_users(accounts_file: Path | None) -> list[tuple[Principal, str]]:
    """Every user an accounts file defines, with its path: ``(principal, path)``. They
    are made IAM users at start-up (``IamRepository.ensure_users``)."""
    if accounts_file is None:
        return []
    load_accounts_file(accounts_file)  # validates the whole file first
    with open(accounts_file, "rb") as handle:
        data = tomllib.load(handle)
    users = []
    for account in data.get("accounts", []):
        for user in account.get("users", []):
            path = user.get("path", "/")
            users.append((user_principal(account["account_id"], user["user_name"], path), path))
    return users


def parse_accounts(data: Mapping[str, Any], where: str = "accounts file") -> Iterable[Credential]:
    _only(data, {"accounts"}, where)
    accounts = _tables(data.get("accounts", []), f"{where}: accounts",
                       {"account_id", "root_keys", "users", "quotas"},
                       f"{where}: 'accounts' must be an array of tables ([[accounts]])")
    seen_accounts: set[str] = set()
    for here, account in accounts:
        account_id = _text(account, "account_id", _ACCOUNT_ID, f"{here}: account_id must be a string of 12 digits")
        _once(seen_accounts, account_id, f"{here}: account {account_id} is defined more than once")
        if "quotas" in account:
            try:
                parse_quotas(account["quotas"], f"{here}.quotas")
            except ValueError as error:
                raise AccountsFileError(str(error)) from error
        root = root_principal(account_id)
        for key in _keys(account.get("root_keys", []), f"{here}.root_keys"):
            yield Credential(key[0], key[1], root, key[2])
        users = _tables(account.get("users", []), f"{here}.users", {"user_name", "path", "access_keys"},
                        f"{here}: 'users' must be an array of tables ([[accounts.users]])")
        names: set[str] = set()
        for there, user in users:
            name = _text(user, "user_name", _USER_NAME,
                         f"{there}: user_name must be 1 to 64 of letters, digits and +=,.@_-")
            # IAM user names are unique case-insensitively.
            _once(names, name.lower(), f"{there}: user {name} is defined more than once")
            path = _text(user, "path", _PATH, f"{there}: path must begin and end with '/'", "/")
            principal = user_principal(account_id, name, path)
            for key in _keys(user.get("access_keys", []), f"{there}.access_keys"):
                yield Credential(key[0], key[1], principal, key[2])


def _keys(items: Any, where: str) -> Iterable[tuple[str, str, KeyStatus]]:
    for here, item in _tables(items, where, {"access_key_id", "secret_access_key", "status"},
                              f"{where} must be an array of tables"):
        key = _text(item, "access_key_id", _ACCESS_KEY,
                    f"{here}: access_key_id must be 1 to 128 letters, digits or '_'")
        secret = _text(item, "secret_access_key", _SECRET, f"{here}: secret_access_key must be a non-empty string")
        status = _text(item, "status", _STATUS, f"{here}: status must be 'Active' or 'Inactive'", "Active")
        yield key, secret, cast(KeyStatus, status)


def _tables(items: Any, where: str, allowed: set[str], not_array: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each table of an array of tables with where it stands (``where[i]``), checked to be
    a table of only ``allowed`` keys (``not_array``: the complaint when there is no array)."""
    if not isinstance(items, list):
        raise AccountsFileError(not_array)
    for index, item in enumerate(items, 1):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise AccountsFileError(f"{here} must be a table")
        _only(item, allowed, here)
        yield here, item


def _text(table: Mapping[str, Any], key: str, pattern: re.Pattern[str], complaint: str,
          default: str | None = None) -> str:
    """The text under ``key`` (``default`` when absent), which must match ``pattern``."""
    value = table.get(key, default)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise AccountsFileError(complaint)
    return value


def _once(seen: set[str], value: str, twice: str) -> None:
    """Note ``value`` as seen; the complaint ``twice`` when it was already."""
    if value in seen:
        raise AccountsFileError(twice)
    seen.add(value)


def _only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise AccountsFileError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                                f"expected {', '.join(sorted(allowed))}")
