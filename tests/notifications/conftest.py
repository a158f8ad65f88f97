"""Fixtures of the notifications tests: a court's webhook server (a real HTTP server in a thread that
checks each call's signature), an endpoint pointing at it, the SMS outbox, and a notice to change."""
import hashlib
import hmac
import json
import ssl
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from cases.tests.factories import receive
from notifications.channels import sms


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.channels.sms.MemoryBackend"
    settings.SITE_URL = "https://legalaid.example.cn"
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class CourtServer:
    """What the court's side received. `answers` is the status of each next call in turn (the last
    one repeats); `delay` seconds before answering (beyond the timeout: no answer)."""

    def __init__(self):
        self.calls = []
        self.answers = [200]
        self.delay = 0.0
        self.secret = ""
        self.url = ""
        self.lock = threading.Lock()

    def answer(self):
        with self.lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    @property
    def bodies(self):
        return [json.loads(call["body"]) for call in self.calls]


@contextmanager
def serve_court(tls=None):
    """A court's webhook receiver on a free local port; `tls` = (certificate file, key file) serves
    HTTPS."""
    server_state = CourtServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            timestamp = self.headers.get("X-Legalaid-Timestamp", "")
            expected = "sha256=" + hmac.new(server_state.secret.encode(), timestamp.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(self.headers.get("X-Legalaid-Signature", ""), expected)
            with server_state.lock:
                server_state.calls.append({"body": body, "headers": dict(self.headers), "signature_valid": valid,
                                           "path": self.path})
            status = server_state.answer() if valid else 401
            if server_state.delay:
                time.sleep(server_state.delay)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    server_state.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/legal-aid/hook"
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def court_server():
    with serve_court() as server_state:
        yield server_state


@pytest.fixture
def endpoint(world, court_server):
    from notifications.services import webhook_endpoint_save

    endpoint = webhook_endpoint_save(court=world.court, url=court_server.url, actor=world.admin)
    court_server.secret = endpoint.secret
    return endpoint


@pytest.fixture
def notice(world):
    return receive(world)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def change_state(notice, to, *, actor, code):
    """A status change through cases.services.transition, which tells the court
    (notifications.services.notice_state_changed) in the same transaction."""
    from cases.services import lock, transition

    with transaction.atomic():
        locked = lock(notice)
        transition(locked, to, actor=actor, code=code)
    return locked


@contextmanager
def no_eager(app=None):
    """Dispatch to the broker instead of running tasks inline (for tests with a real worker)."""
    from legalaid.celery import app as celery_app

    app = app or celery_app
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = before
