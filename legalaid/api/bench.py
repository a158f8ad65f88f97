"""The ceiling the benchmark measures the notice POST against (`make bench`): a minimal DRF endpoint
on the same server, with the same authentication, permission, throttling, parser and renderer as the
court API, that does no work of its own. Mounted only when BENCH_ENDPOINTS is set (never in
production) and left out of the OpenAPI schema."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView


@extend_schema(exclude=True)
class BenchEcho(APIView):
    def post(self, request):
        return Response({"fields": len(request.data)}, status=status.HTTP_201_CREATED)

    def get(self, request):
        return Response({"ok": True})
