"""Court webhooks over HTTPS, as production requires: a real TLS server on this machine with its own
certificate authority, trusted through WEBHOOK_CA_BUNDLE (or not)."""
import shutil
import subprocess

import pytest

from cases.models import Notice
from notifications.models import Delivery
from notifications.services import webhook_endpoint_save
from tests.notifications.conftest import change_state, serve_court

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


@pytest.fixture
def tls_court(certificate):
    with serve_court(tls=certificate) as server:
        yield server


def test_it_posts_over_https_to_a_court_whose_authority_is_trusted(world, notice, tls_court, certificate, committed,
                                                                    settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    settings.WEBHOOK_CA_BUNDLE = certificate[0]
    tls_court.secret = webhook_endpoint_save(court=world.court, url=tls_court.url).secret
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")

    assert tls_court.url.startswith("https://")
    assert [c["signature_valid"] for c in tls_court.calls] == [True]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_it_refuses_a_certificate_it_cannot_verify_and_retries(world, notice, tls_court, committed, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    tls_court.secret = webhook_endpoint_save(court=world.court, url=tls_court.url).secret
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")

    assert tls_court.calls == []  # nothing was sent to a server that could not prove who it is
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
