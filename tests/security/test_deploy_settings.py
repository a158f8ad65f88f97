"""Production settings: `manage.py check --deploy` passes, secrets come only from the environment,
and HSTS, secure cookies and the HTTPS redirect are on. Each runs the production settings module in
a subprocess, as a deployment would load it."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {"SECRET_KEY": "k" * 20 + "-Zq8#vLm2@pRt5^wXy9&bNc3*dFg6!hJ", "ALLOWED_HOSTS": "legalaid.example.org"}


def run_with(settings_module, env, *argv, code=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update({"DJANGO_SETTINGS_MODULE": settings_module, **env})
    command = [sys.executable, "manage.py", *argv] if code is None else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_with_no_warning():
    result = run_with("legalaid.settings.production", PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets_from_the_environment(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_with("legalaid.settings.production", env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_the_development_key_fails_the_deploy_check():
    """Running production with the development default would be caught: the deploy check flags a
    weak key (the production module has no default, so this is the only way to get one)."""
    result = run_with("legalaid.settings.production", {**PRODUCTION_ENV, "SECRET_KEY": "insecure-short"},
                      "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout


PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="legalaid.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
api = client.get("/api/v1/deadline-rules/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "hsts": secure.get("Strict-Transport-Security", ""),
    "api_hsts": api.get("Strict-Transport-Security", ""),
    "csp": secure.get("Content-Security-Policy", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}
    result = run_with("legalaid.settings.production", env, code=PROBE)
    assert result.returncode == 0, result.stderr
    import json

    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == [301, "https://legalaid.example.org/accounts/login/"]
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"] and "preload" in seen["hsts"]
    assert seen["api_hsts"] == seen["hsts"]
    assert "frame-ancestors 'none'" in seen["csp"]
    assert seen["session_cookie_secure"] and seen["csrf_cookie_secure"] and not seen["debug"]


def test_no_settings_module_holds_a_production_secret():
    """Only the development default key is written in the code, and only the production module is
    free of any default (asserted above); no other secret-looking setting has a literal value."""
    import re

    for path in (ROOT / "legalaid" / "settings").glob("*.py"):
        text = path.read_text()
        for name in ("SECRET_KEY", "EMAIL_HOST_PASSWORD", "AWS_SECRET_ACCESS_KEY", "DATABASE_PASSWORD"):
            for match in re.finditer(rf"^{name}\s*=\s*(.+)$", text, re.M):
                assert match.group(1).startswith("env("), (path.name, match.group(0))
