"""The demo server (`make run`) listens on this machine only, with DEBUG on and only the loopback
names allowed; `make run HOST=0.0.0.0` opens it to the network with DEBUG off and this machine's own
names allowed. Each reads the local settings in a subprocess, as `make run` loads them."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import django, json; django.setup(); from django.conf import settings; "
         "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS}))")


def local_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("HOST", "DEBUG", "ALLOWED_HOSTS")}
    environment.update({"DJANGO_SETTINGS_MODULE": "legalaid.settings.local", **env})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_binds_the_loopback_address_by_default():
    makefile = (ROOT / "Makefile").read_text()
    procfile = (ROOT / "Procfile").read_text()
    assert re.search(r"^HOST\s*\?=\s*127\.0\.0\.1$", makefile, re.M)
    assert "HOST=$(HOST)" in makefile
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert "0.0.0.0" not in web and "${HOST:-127.0.0.1}:$PORT" in web


def test_on_the_loopback_address_debug_is_on_and_only_loopback_names_are_allowed():
    seen = local_settings()
    assert seen["debug"] is True
    assert seen["hosts"] == ["localhost", "127.0.0.1", "[::1]"]


def test_opened_to_the_network_debug_is_off_and_no_host_name_is_a_wildcard():
    seen = local_settings(HOST="0.0.0.0")
    assert seen["debug"] is False
    assert "*" not in seen["hosts"] and "127.0.0.1" in seen["hosts"]


def test_opened_to_the_network_the_operator_may_name_the_hosts():
    seen = local_settings(HOST="0.0.0.0", ALLOWED_HOSTS="legalaid.lan")
    assert seen["hosts"] == ["legalaid.lan"]
