"""Courts' webhook endpoints: administrators keep them; HTTPS is required in production."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from cases.models import Notice
from legalaid.errors import InvalidInput
from notifications.models import CourtWebhookEndpoint, Delivery
from notifications.services import webhook_endpoint_save
from tests.notifications.conftest import change_state

pytestmark = pytest.mark.django_db


def test_it_refuses_a_plain_http_url_where_https_is_required(world, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    with pytest.raises(InvalidInput) as caught:
        webhook_endpoint_save(court=world.court, url="http://court.example.cn/hook", actor=world.admin)

    assert (caught.value.code, caught.value.field) == ("https_required", "url")
    assert not CourtWebhookEndpoint.objects.exists()


def test_it_keeps_the_old_url_when_a_change_to_http_is_refused(world, settings):
    endpoint = webhook_endpoint_save(court=world.court, url="https://court.example.cn/hook", actor=world.admin)
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    with pytest.raises(InvalidInput) as caught:
        webhook_endpoint_save(court=world.court, url="http://court.example.cn/other", actor=world.admin)

    assert caught.value.code == "https_required"
    endpoint.refresh_from_db()
    assert endpoint.url == "https://court.example.cn/hook"


def test_it_accepts_an_https_url_where_https_is_required_and_makes_a_secret(world, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    endpoint = webhook_endpoint_save(court=world.court, url="https://court.example.cn/hook", actor=world.admin)

    assert endpoint.url == "https://court.example.cn/hook"
    assert len(endpoint.secret) >= 40
    assert endpoint.history.get().history_user == world.admin


@pytest.mark.parametrize("url, code", [
    ("ftp://court.example.cn/hook", "invalid_url"),
    ("https://user:pw@court.example.cn/hook", "credentials_in_url"),
    ("court.example.cn/hook", "invalid"),
])
def test_it_refuses_a_url_that_is_not_one(world, url, code):
    with pytest.raises(InvalidInput) as caught:
        webhook_endpoint_save(court=world.court, url=url, actor=world.admin)

    assert caught.value.code == code
    assert not CourtWebhookEndpoint.objects.exists()


def test_rotating_the_secret_changes_it(world):
    before = webhook_endpoint_save(court=world.court, url="https://court.example.cn/hook").secret
    after = webhook_endpoint_save(court=world.court, url="https://court.example.cn/hook", rotate_secret=True).secret

    assert before != after
    assert CourtWebhookEndpoint.objects.count() == 1


def test_the_admin_form_refuses_http_where_https_is_required(world, client, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    client.force_login(world.admin)
    response = client.post("/admin/notifications/courtwebhookendpoint/add/",
                           {"court": world.court.pk, "url": "http://court.example.cn/hook", "secret": "s" * 43,
                            "is_active": "on"})

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert response.context["adminform"].form.errors.as_data()["url"][0].code == "https_required"
    assert not CourtWebhookEndpoint.objects.exists()


def test_the_admin_saves_an_https_endpoint(world, client, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    client.force_login(world.admin)
    response = client.post("/admin/notifications/courtwebhookendpoint/add/",
                           {"court": world.court.pk, "url": "https://court.example.cn/hook", "secret": "s" * 43,
                            "is_active": "on"})

    assert response.status_code == 302
    assert CourtWebhookEndpoint.objects.get().url == "https://court.example.cn/hook"


def test_an_http_url_saved_before_the_rule_is_not_called_and_fails_at_once(world, notice, endpoint, court_server,
                                                                           committed, settings):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    with committed():
        change_state(notice, Notice.Status.WITHDRAWN, actor=world.court_user, code="retained_counsel")

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert court_server.calls == []
    assert delivery.attempt_log.get().target == court_server.url


def test_production_settings_require_https(tmp_path):
    """legalaid.settings.production turns the rule on: the validator refuses http there."""
    root = Path(django_settings.BASE_DIR)
    script = (
        "import django; django.setup()\n"
        "from django.core.exceptions import ValidationError\n"
        "from notifications.models import validate_webhook_url\n"
        "validate_webhook_url('https://court.example.cn/hook')\n"
        "try:\n"
        "    validate_webhook_url('http://court.example.cn/hook')\n"
        "except ValidationError as exc:\n"
        "    print(exc.error_list[0].code)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "legalaid.settings.production", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "legalaid.example.cn", "VAR_DIR": str(tmp_path)}
    env.pop("WEBHOOKS_REQUIRE_HTTPS", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https_required"
