from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from legalaid.api.throttling import FailedTokenThrottle
from legalaid.models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (docs/court-api.md). Keys are stored hashed; a revoked key or an
    inactive account is refused."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        throttle = FailedTokenThrottle()
        throttle.check(request)  # an address that kept failing is refused before any lookup (429)
        if len(header) != 2:
            throttle.failed(request)
            raise exceptions.AuthenticationFailed(_("Invalid token header."), code="invalid_token")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            throttle.failed(request)
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="invalid_token") from None
        token = ApiToken.lookup(raw)
        if token is None or not token.user.is_active:
            throttle.failed(request)
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="invalid_token")
        now = timezone.now()
        # Record use at most once a minute: a write per request would cost more than the request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
