"""SigV4 verification through boto3 and raw signed requests, in-process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import UTC, ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import allow_ec2, error_of, launch
from tests.protocol.wire import error_envelope

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT = "http://ec2emu.test"
MAX_EXPIRES = 7 * 24 * 3600
MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")
AUTH_FAILURE = "AWS was not able to validate the provided access credentials"


def make_app(tmp_path: Path, mode: str) -> Emulator:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token",
                        auth_mode=mode, accounts_file=ROOT / "examples" / "accounts.toml")
    emulator = build_app(settings, clock=ManualClock())
    # alice may use EC2 (policies are enforced for users; the file's root grants it)
    iam = InProcessTransport(emulator).attach(boto3.client(
        "iam", region_name="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id="AKIADEVROOT000000001",
        aws_secret_access_key="dev-root-secret", config=NO_RETRY))
    allow_ec2(iam, "alice")
    return emulator


@pytest.fixture(params=["permissive", "strict"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Emulator]:
    emulator = make_app(tmp_path, request.param)
    yield emulator
    emulator.store.close()


@pytest.fixture
def transport(app: Emulator) -> Iterator[InProcessTransport]:
    transport = InProcessTransport(app)
    yield transport
    transport.close()


@pytest.fixture
def client(transport: InProcessTransport) -> Callable[..., Any]:
    def make(key: str = "test", secret: str = "test", token: str | None = None) -> Any:
        return transport.attach(boto3.client(
            "ec2", region_name="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id=key,
            aws_secret_access_key=secret, aws_session_token=token, config=NO_RETRY))
    return make


def send(transport: InProcessTransport, request: AWSRequest) -> tuple[int, bytes]:
    prepared = request.prepare()
    body = prepared.body or b""
    status, _, payload = transport.request(prepared.method, prepared.url, dict(prepared.headers),
                                           body.encode() if isinstance(body, str) else body)
    return status, payload


def signed_post(body: str, key: str = "test", secret: str = "test",
                headers: dict[str, str] | None = None) -> AWSRequest:
    request = AWSRequest(method="POST", url=f"{ENDPOINT}/", data=body.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                                  **(headers or {})})
    SigV4Auth(Credentials(key, secret), "ec2", "us-east-1").add_auth(request)
    return request


def instances(ec2: Any) -> list[str]:
    return [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]


def test_a_correctly_signed_request_verifies(client: Callable[..., Any]) -> None:
    ec2 = client()
    assert ec2.describe_regions(RegionNames=["eu-west-1"])["Regions"][0]["RegionName"] == "eu-west-1"
    alice = client("AKIADEVALICE00000001", "alice-secret")
    [instance] = launch(alice)
    assert instances(alice) == [instance]
    assert instances(ec2) == []  # alice is in account 111111111111, not the default one


def test_wrong_secret_is_refused_in_both_modes(client: Callable[..., Any]) -> None:
    for key, secret in [("test", "nope"), ("AKIADEVALICE00000001", "test")]:
        ec2 = client(key, secret)
        error = error_of(ec2.run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1)
        assert error == {"Code": "SignatureDoesNotMatch", "Message": MISMATCH, "Status": 403}
    assert instances(client()) == [] and instances(client("AKIADEVALICE00000001", "alice-secret")) == []


def test_body_tampered_after_signing_is_refused(client: Callable[..., Any],
                                                transport: InProcessTransport) -> None:
    request = signed_post("Action=DescribeRegions&Version=2016-11-15")
    status, _ = send(transport, request)
    assert status == 200
    request.data = b"Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-1"
    request.headers["Content-Length"] = str(len(request.data))
    status, payload = send(transport, request)
    assert (status, error_envelope(payload)["Code"], error_envelope(payload)["Message"]) == (
        403, "SignatureDoesNotMatch", MISMATCH)


def test_a_content_hash_header_that_lies_about_the_body_is_refused(transport: InProcessTransport) -> None:
    honest = "Action=DescribeRegions&Version=2016-11-15"
    request = signed_post("Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1",
                          headers={"X-Amz-Content-SHA256": botocore.auth.EMPTY_SHA256_HASH})
    request.data = honest.encode()
    status, payload = send(transport, request)
    assert (status, error_envelope(payload)["Code"]) == (403, "SignatureDoesNotMatch")


def test_extra_signed_headers_are_verified(transport: InProcessTransport) -> None:
    extra = {"X-Custom-Trace": "abc   def", "User-Agent": "aws-cli/2.15 Python/3.11"}
    request = signed_post("Action=DescribeRegions&Version=2016-11-15", headers=extra)
    assert "x-custom-trace" in request.headers["Authorization"]
    assert send(transport, request)[0] == 200
    request.headers.replace_header("X-Custom-Trace", "changed")
    status, payload = send(transport, request)
    assert (status, error_envelope(payload)["Code"]) == (403, "SignatureDoesNotMatch")


def test_a_host_no_url_can_carry_is_a_signature_mismatch(transport: InProcessTransport) -> None:
    request = signed_post("Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1")
    request.headers["Host"] = "["
    status, payload = send(transport, request)
    assert (status, error_envelope(payload)["Code"], error_envelope(payload)["Message"]) == (
        403, "SignatureDoesNotMatch", MISMATCH)


def test_an_unsigned_header_may_change(transport: InProcessTransport) -> None:
    request = signed_post("Action=DescribeRegions&Version=2016-11-15")
    request.headers["X-Not-Signed"] = "anything"
    assert send(transport, request)[0] == 200


def test_client_clock_off_by_more_than_fifteen_minutes_is_expired(
        client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    ec2 = client()
    real = botocore.auth.get_current_datetime
    for minutes, expected in [(14, None), (-14, None), (16, "RequestExpired"), (-16, "RequestExpired")]:
        monkeypatch.setattr(botocore.auth, "get_current_datetime",
                            lambda m=minutes: real() + dt.timedelta(minutes=m))
        if expected is None:
            ec2.describe_regions()
        else:
            error = error_of(ec2.run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1)
            assert error == {"Code": "RequestExpired", "Message": "Request has expired.", "Status": 400}
    monkeypatch.setattr(botocore.auth, "get_current_datetime", real)
    assert instances(ec2) == []


def test_advancing_emulated_time_does_not_expire_requests(client: Callable[..., Any], app: Emulator) -> None:
    ec2 = client()
    [instance] = launch(ec2)
    app.advance_clock(20 * 60)
    assert instances(ec2) == [instance]


def test_scope_date_must_be_the_request_date(transport: InProcessTransport) -> None:
    request = signed_post("Action=DescribeRegions&Version=2016-11-15")
    auth = request.headers["Authorization"]
    today = request.context["timestamp"][:8]
    request.headers.replace_header("Authorization", auth.replace(f"/{today}/", "/20200101/"))
    status, payload = send(transport, request)
    assert (status, error_envelope(payload)["Code"]) == (403, "SignatureDoesNotMatch")
    assert error_envelope(payload)["Message"].startswith(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        f"'20200101' != '{today}'")


def presigned(key: str = "test", secret: str = "test", expires: int = 60, when: dt.datetime | None = None,
              monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    request = AWSRequest(method="GET", url=f"{ENDPOINT}/?Action=DescribeInstances&Version=2016-11-15")
    signer = SigV4QueryAuth(Credentials(key, secret), "ec2", "us-east-1", expires=expires)
    if when is not None:
        assert monkeypatch is not None
        with monkeypatch.context() as patch:
            patch.setattr(botocore.auth, "get_current_datetime", lambda: when)
            signer.add_auth(request)
    else:
        signer.add_auth(request)
    return str(request.url)


def test_presigned_url_works_and_expires(transport: InProcessTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    status, payload = transport.request("GET", presigned(), {}, b"")[::2]
    assert status == 200 and b"<DescribeInstancesResponse" in payload
    past = dt.datetime.now(UTC) - dt.timedelta(seconds=120)
    url = presigned(expires=60, when=past, monkeypatch=monkeypatch)
    status, _, payload = transport.request("GET", url, {}, b"")
    assert (status, error_envelope(payload)["Code"], error_envelope(payload)["Message"]) == (
        400, "RequestExpired", "Request has expired.")
    url = presigned(expires=3600, when=past, monkeypatch=monkeypatch)
    assert transport.request("GET", url, {}, b"")[0] == 200
    forged = presigned(secret="wrong")
    status, _, payload = transport.request("GET", forged, {}, b"")
    assert (status, error_envelope(payload)["Code"]) == (403, "SignatureDoesNotMatch")
    tampered = presigned().replace("Action=DescribeInstances", "Action=DescribeRegions")
    status, _, payload = transport.request("GET", tampered, {}, b"")
    assert (status, error_envelope(payload)["Code"]) == (403, "SignatureDoesNotMatch")


def test_boto3_generate_presigned_url_for_get(client: Callable[..., Any], transport: InProcessTransport) -> None:
    url = client().generate_presigned_url("describe_regions", Params={"RegionNames": ["eu-west-1"]},
                                          ExpiresIn=300, HttpMethod="GET")
    status, _, payload = transport.request("GET", url, {}, b"")
    assert status == 200 and b"<regionName>eu-west-1</regionName>" in payload


def test_presigned_url_missing_a_parameter_is_incomplete(transport: InProcessTransport) -> None:
    url = presigned()
    broken = "&".join(p for p in url.split("&") if not p.startswith("X-Amz-Expires="))
    status, _, payload = transport.request("GET", broken, {}, b"")
    assert (status, error_envelope(payload)["Code"]) == (400, "IncompleteSignature")


def test_unsigned_request_is_missing_the_access_key(transport: InProcessTransport) -> None:
    status, _, payload = transport.request(
        "POST", f"{ENDPOINT}/", {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=DescribeRegions&Version=2016-11-15")
    assert (status, error_envelope(payload)["Code"], error_envelope(payload)["Message"]) == (
        400, "MissingParameter", "The request must contain the parameter AWSAccessKeyId")


@pytest.mark.parametrize("authorization", [
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request",
    "AWS4-HMAC-SHA256 Credential=test/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00",
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws5_request, SignedHeaders=host, Signature=00",
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=x-amz-date, Signature=0",
    "AWS test:c2lnbmF0dXJl",
])
def test_malformed_authorization_is_an_incomplete_signature(
        transport: InProcessTransport, client: Callable[..., Any], authorization: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": authorization,
               "X-Amz-Date": "20260101T000000Z"}
    body = b"Action=RunInstances&Version=2016-11-15&ImageId=ami-12345678&MinCount=1&MaxCount=1"
    status, _, payload = transport.request("POST", f"{ENDPOINT}/", headers, body)
    assert (status, error_envelope(payload)["Code"]) == (400, "IncompleteSignature")
    assert instances(client()) == []


def test_missing_date_is_an_incomplete_signature(transport: InProcessTransport) -> None:
    request = signed_post("Action=DescribeRegions&Version=2016-11-15")
    del request.headers["X-Amz-Date"]
    status, payload = send(transport, request)
    envelope = error_envelope(payload)
    assert (status, envelope["Code"]) == (400, "IncompleteSignature")
    assert "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." \
        in envelope["Message"]


def test_unknown_key(app: Emulator, client: Callable[..., Any]) -> None:
    stranger = client("AKIAUNKNOWN000000000", "whatever")
    if app.settings.auth_mode == "strict":
        error = error_of(stranger.run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1)
        assert error == {"Code": "AuthFailure", "Message": AUTH_FAILURE, "Status": 401}
        assert instances(client()) == []
    else:
        [instance] = launch(stranger)  # acts as the root of 000000000000
        assert instances(client()) == [instance]


def test_inactive_key_is_refused(client: Callable[..., Any]) -> None:
    old = client("AKIADEVALICE00000002", "alice-old-secret")
    error = error_of(old.run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1)
    assert error == {"Code": "AuthFailure", "Message": AUTH_FAILURE, "Status": 401}
    assert instances(client("AKIADEVALICE00000001", "alice-secret")) == []


def test_a_session_token_on_a_long_term_key_is_refused(client: Callable[..., Any]) -> None:
    ec2 = client("test", "test", token="FwoGZXIvYXdzEXAMPLE")
    error = error_of(ec2.describe_regions)
    assert error == {"Code": "AuthFailure", "Message": AUTH_FAILURE, "Status": 401}


def test_the_root_key_works_in_both_modes(client: Callable[..., Any]) -> None:
    ec2 = client()
    [instance] = launch(ec2)
    assert instances(ec2) == [instance]


def test_emulator_wall_clock_is_the_machine_clock(tmp_path: Path) -> None:
    app = make_app(tmp_path, "strict")
    try:
        before = dt.datetime.now(UTC)
        assert before <= app.clock.wall_now() <= dt.datetime.now(UTC)
        assert app.clock.now() == dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    finally:
        app.store.close()


def test_keys_created_through_iam_are_verified_like_any_other(
        transport: InProcessTransport, client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """A user and key made through the IAM API: header-signed and presigned requests, a
    forged signature, a skewed client clock, and another account's instance."""
    iam = transport.attach(boto3.client(
        "iam", region_name="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id="AKIAPRODROOT00000001",
        aws_secret_access_key="prod-root-secret", config=NO_RETRY))
    iam.create_user(UserName="ci-bot")
    allow_ec2(iam, "ci-bot")
    key = iam.create_access_key(UserName="ci-bot")["AccessKey"]
    key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]
    bot = client(key_id, secret)
    [own] = launch(bot)
    assert instances(bot) == [own]
    # alice (account 111111111111) launches; the bot of 222222222222 can neither see nor stop it
    [theirs] = launch(client("AKIADEVALICE00000001", "alice-secret"))
    assert instances(bot) == [own]
    error = error_of(bot.terminate_instances, InstanceIds=[theirs])
    assert (error["Code"], error["Status"]) == ("InvalidInstanceID.NotFound", 400)
    forged = client(key_id, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert error_of(forged.describe_instances) == {"Code": "SignatureDoesNotMatch", "Message": MISMATCH,
                                                    "Status": 403}
    real = botocore.auth.get_current_datetime
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: real() - dt.timedelta(minutes=20))
    assert error_of(bot.describe_instances)["Code"] == "RequestExpired"
    monkeypatch.setattr(botocore.auth, "get_current_datetime", real)
    status, _, payload = transport.request("GET", presigned(key_id, secret), {}, b"")
    assert status == 200 and own.encode() in payload and theirs.encode() not in payload
    tampered = presigned(key_id, secret).replace("Action=DescribeInstances", "Action=DescribeRegions")
    assert transport.request("GET", tampered, {}, b"")[0] == 403
    iam.put_user_policy(UserName="ci-bot", PolicyName="no-describe", PolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:DescribeInstances", '
        '"Resource": "*"}]}'))
    status, _, payload = transport.request("GET", presigned(key_id, secret), {}, b"")
    assert (status, error_envelope(payload)["Code"]) == (403, "UnauthorizedOperation")


def test_one_key_signing_for_several_days_regions_and_services(
        transport: InProcessTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    """One key's requests interleaved: presigned URLs (valid for a week) dated today, two
    days ago and yesterday, header-signed calls to EC2 in two regions and to STS. Each
    verifies against its own scope's signing key; a forged one of each date does not."""
    def attach(service: str, region: str) -> Any:
        return transport.attach(boto3.client(service, region_name=region, endpoint_url=ENDPOINT,
                                             aws_access_key_id="test", aws_secret_access_key="test",
                                             config=NO_RETRY))
    east, west, sts = attach("ec2", "us-east-1"), attach("ec2", "eu-west-1"), attach("sts", "us-east-1")
    now = dt.datetime.now(UTC)
    for days_ago in (0, 2, 0, 1, 2):
        when = now - dt.timedelta(days=days_ago)
        url = presigned(expires=MAX_EXPIRES, when=when, monkeypatch=monkeypatch)
        assert transport.request("GET", url, {}, b"")[0] == 200
        forged = presigned(secret="nope", expires=MAX_EXPIRES, when=when, monkeypatch=monkeypatch)
        status, _, payload = transport.request("GET", forged, {}, b"")
        assert (status, error_envelope(payload)["Code"], error_envelope(payload)["Message"]) == (
            403, "SignatureDoesNotMatch", MISMATCH)
        assert east.describe_availability_zones()["AvailabilityZones"][0]["RegionName"] == "us-east-1"
        assert west.describe_availability_zones()["AvailabilityZones"][0]["RegionName"] == "eu-west-1"
        assert sts.get_caller_identity()["Account"] == "000000000000"
