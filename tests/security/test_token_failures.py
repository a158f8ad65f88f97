"""Wrong API keys are throttled per client address (legalaid.api.throttling.FailedTokenThrottle):
authentication runs before the views' throttles, so a wrong key used to get 401 at full speed for
ever. Past the rate of failures, the address gets 429 in the contract's error body with Retry-After
— for any key, so that guessing stops — while another address is not affected and successful calls
do not count. Demo keys live only in the demo data."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from conftest import token_client
from legalaid.api.throttling import FailedTokenThrottle

URL = "/api/v1/notices/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def three_failures(monkeypatch):
    monkeypatch.setattr(FailedTokenThrottle, "THROTTLE_RATES", {"token_failure": "3/min"})
    cache.clear()
    yield
    cache.clear()


def test_wrong_keys_from_one_address_are_throttled_after_the_rate(client, world, three_failures):
    wrong = [client.get(URL, HTTP_AUTHORIZATION=f"Token guess-{n}", REMOTE_ADDR="203.0.113.7") for n in range(3)]
    assert [r.status_code for r in wrong] == [401, 401, 401]
    throttled = client.get(URL, HTTP_AUTHORIZATION="Token guess-4", REMOTE_ADDR="203.0.113.7")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    (error,) = throttled.json()["errors"]
    assert error["code"] == "throttled" and error["field"] is None and error["message"]
    # A valid key from that address waits too: guessing cannot tell a hit from a miss.
    good = token_client(world.court_user)
    assert good.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 429
    # Another address is not affected.
    assert good.get(URL, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert client.get(URL, HTTP_AUTHORIZATION="Token x", REMOTE_ADDR="198.51.100.1").status_code == 401


def test_malformed_headers_count_as_failures(client, db, three_failures):
    for header in ("Token", "Token a b", "Token cl\xe9"):
        client.get(URL, HTTP_AUTHORIZATION=header, REMOTE_ADDR="203.0.113.8")
    assert client.get(URL, HTTP_AUTHORIZATION="Token z", REMOTE_ADDR="203.0.113.8").status_code == 429


def test_successful_calls_do_not_count(world, three_failures):
    good = token_client(world.court_user)
    assert [good.get(URL, REMOTE_ADDR="203.0.113.9").status_code for _n in range(6)] == [200] * 6


def test_the_failure_rate_is_set_in_production_settings():
    from django.conf import settings

    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['token_failure'])")
    env = {"DJANGO_SETTINGS_MODULE": "legalaid.settings.production", "SECRET_KEY": "k" * 50,
           "ALLOWED_HOSTS": "legalaid.example.org", "PATH": "/usr/bin:/bin"}
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import os

        env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+/(s|sec|m|min|h|hour)", result.stdout.strip())


def test_demo_keys_live_only_in_the_demo_data():
    """No key of the demo (`demo-court-…`), nor any token, in settings, migrations or any module a
    deployment runs; only seed_demo makes them."""
    allowed = {ROOT / "cases/management/commands/seed_demo.py"}
    found = []
    for path in ROOT.glob("**/*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "tests", "var", "bench", "node_modules"} or path in allowed:
            continue
        text = path.read_text(errors="ignore")
        if "demo-court" in text or re.search(r"ApiToken\(|set_key\(", text) and "migrations" in parts:
            found.append(str(path.relative_to(ROOT)))
    assert found == []


def test_seed_demo_refuses_to_run_with_the_production_settings():
    env = {"DJANGO_SETTINGS_MODULE": "legalaid.settings.production", "SECRET_KEY": "k" * 50,
           "ALLOWED_HOSTS": "legalaid.example.org", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:////nonexistent/x"}
    result = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "demo data" in result.stderr.lower() and "production" in result.stderr.lower()
