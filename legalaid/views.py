from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect

from legalaid.models import Role


@login_required
def home(request):
    if request.user.role == Role.LAWYER:
        return redirect("lawyer-home") if _has("lawyer-home") else redirect("notice-inbox")
    return redirect("notice-inbox")


def _has(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
        return True
    except NoReverseMatch:
        return False


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
