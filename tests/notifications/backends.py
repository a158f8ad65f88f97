"""Providers that fail, for the tests of retries."""
import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from notifications.channels.sms import BaseSmsBackend, SmsError


class DisconnectedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class DownSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, key):
        raise SmsError("provider unavailable (HTTP 503)")


class RejectingSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, key):
        raise SmsError("number not in service", permanent=True)


class DyingSmsBackend(BaseSmsBackend):
    """The worker process is killed while the provider is being called."""

    def send(self, *, phone, text, key):
        raise SystemExit("worker killed")
