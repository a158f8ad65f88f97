from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real


def _supported(code):
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def api_language(request) -> str:
    """The API follows Accept-Language (docs/court-api.md), zh-hans when it names nothing we speak."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code != "*" and (lang := _supported(code)):
            return lang
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Pages speak Simplified Chinese unless the user chose English (the language cookie set by the
    switcher), whatever the browser prefers; the API follows Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        if is_api:
            language = api_language(request)
        else:
            language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if is_api:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy for every page. The admin site keeps Django's own inline styles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith("/admin/"):
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RejectNullCharactersMiddleware:
    """A query string with a NUL character is refused (400) before any view runs: PostgreSQL cannot
    store or compare one, so a filter on it would fail with a server error (found by the API
    fuzzing). Bodies need no such guard: every form and serializer text field refuses NUL itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            if request.path.startswith("/api/"):
                message = _("The query string contains a NUL character.")
                return JsonResponse({"errors": [{"field": None, "code": "null_character", "message": message}]},
                                    status=400)
            return HttpResponseBadRequest()
        return self.get_response(request)


class NoStoreWhenAuthenticatedMiddleware:
    """Nothing answered to a signed-in user or an API token may be kept by a browser or a proxy
    cache: pages, API answers, letters, exports, the deadline board and the roster all carry personal
    data. `Cache-Control: private, no-store` (and `Pragma: no-cache` for HTTP/1.0 caches) on every
    such response; what a view already set (e.g. a max-age) gives way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            mark_no_store(response)
        return response


def mark_no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Pragma"] = "no-cache"
    return response
