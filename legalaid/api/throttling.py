from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle


class PerTokenThrottle(SimpleRateThrottle):
    """One budget per API token (per session user for browser calls)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests fall to AnonRateThrottle
        ident = f"t{request.auth.pk}" if getattr(request.auth, "pk", None) else f"u{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class FailedTokenThrottle(SimpleRateThrottle):
    """Failed token authentications per client address (rate `token_failure`). The view's throttles
    run after authentication, so a wrong key — refused by authentication — never reached them: keys
    could be guessed at full speed. Past the rate, the address gets 429 (with Retry-After) for any
    token, valid or not, until the window passes; only failures count."""

    scope = "token_failure"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def check(self, request):
        """Raise Throttled when the address has failed too often lately."""
        if self.rate is None:
            return
        self._load(request)
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(wait=self.wait(), detail=_(
                "Too many failed authentications from this address. Try again later."))

    def failed(self, request):
        if self.rate is None:
            return
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
