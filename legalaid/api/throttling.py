from rest_framework.throttling import SimpleRateThrottle


class PerTokenThrottle(SimpleRateThrottle):
    """One budget per API token (per session user for browser calls)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests fall to AnonRateThrottle
        ident = f"t{request.auth.pk}" if getattr(request.auth, "pk", None) else f"u{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
