"""An SMS provider adapter for the fault tests: it POSTs each text to $SMS_GATEWAY_URL (a gateway the
test runs on 127.0.0.1) and treats any answer but 2xx as a failure, like a real provider's HTTP API.
Configured in the worker processes with SMS_BACKEND=tests.faults.sms_gateway.HttpGatewayBackend."""
import json
import os
import urllib.error
import urllib.request

from notifications.channels.sms import BaseSmsBackend, SmsError


class HttpGatewayBackend(BaseSmsBackend):
    def send(self, *, phone, text, key):
        body = json.dumps({"phone": phone, "text": text, "key": key}).encode()
        request = urllib.request.Request(os.environ["SMS_GATEWAY_URL"], data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310: a local test gateway
                return response.read().decode() or key
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(f"gateway: {exc}") from exc
