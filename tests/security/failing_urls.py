"""The site's URLs plus one API view and one page that fail, to see what a server error answers."""
from django.urls import path

from legalaid.urls import handler404, handler500  # noqa: F401
from legalaid.urls import urlpatterns as site


def fail(request):
    raise RuntimeError("a fault in our own code")


urlpatterns = [path("api/v1/fail/", fail), path("fail/", fail), *site]
