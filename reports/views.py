"""The statistics pages: the staff dashboard (agency staff, supervisors, auditors, administrators;
scoped to the user's region), its CSV and Excel exports, and the public summary (no login).
Views read the request, call params/selectors/sections and render; nothing is computed here."""
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reports import exports, selectors, sections
from reports.params import params_for, user_prefix
from reports.public import public_params, public_summary
from reports.services import REFRESH_INTERVAL, figures_as_of
from legalaid.errors import DomainError, NotPermitted

PUBLIC_MAX_AGE = REFRESH_INTERVAL  # the figures change at most once per refresh


def _params_or_error(request):
    try:
        return params_for(request.user, request.GET), None
    except NotPermitted:
        raise PermissionDenied from None
    except DomainError as exc:
        return None, exc


@login_required
@require_GET
def dashboard(request):
    params, error = _params_or_error(request)
    prefix = user_prefix(request.user)
    context = {
        "error": error, "params": params, "query": request.GET, "as_of": figures_as_of(),
        "regions": selectors.region_choices(prefix), "courts": selectors.court_choices(prefix),
        "reference": selectors.REFERENCE_DEFENCE_RATE,
    }
    if params is not None:
        built = sections.build_page(params)
        context.update(sections=built, export_query=urlencode(params.query()),
                       charts=[chart.as_json() for _section, result in built for chart in result.charts])
    return render(request, "statistics/dashboard.html", context, status=400 if error else 200)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export(request, key, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    params, error = _params_or_error(request)
    if error is not None:
        return HttpResponse(f"{error.code}: {error.message}", status=400, content_type="text/plain; charset=utf-8")
    name = f"{key}_{params.start:%Y%m%d}-{params.end:%Y%m%d}"
    if key == "all":
        if fmt != "xlsx":
            raise Http404
        tables = [table for _section, result in sections.build_page(params) for table in result.tables]
    else:
        _section, table = sections.find_table(params, key)
        if table is None:
            raise Http404
        if fmt == "csv":
            return _attachment(exports.table_csv(table), exports.CSV_TYPE, f"{name}.csv")
        tables = [table]
    content = exports.tables_xlsx(tables, exports.caption(params, figures_as_of()))
    return _attachment(content, exports.XLSX_TYPE, f"{name}.xlsx")


def _public(request):
    params = public_params(request.GET)
    as_of = figures_as_of()
    key = f"statistics:public:{params.prefix or 'all'}:{params.start.year}:{as_of.isoformat() if as_of else '-'}"
    return params, as_of, cache.get_or_set(key, lambda: public_summary(params), PUBLIC_MAX_AGE)


@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def public(request):
    """The public summary: no login, no personal data, small numbers suppressed; cacheable."""
    try:
        params, as_of, summary = _public(request)
    except DomainError as exc:
        response = render(request, "statistics/public.html", {"error": exc, "query": request.GET}, status=400)
    else:
        response = render(request, "statistics/public.html", {
            "params": params, "as_of": as_of, "summary": summary, "query": request.GET,
            "regions": selectors.region_choices("")})
    patch_vary_headers(response, ["Cookie"])  # the language cookie
    return response


@require_GET
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def public_csv(request):
    try:
        params, _as_of, summary = _public(request)
    except DomainError as exc:
        return HttpResponse(f"{exc.code}: {exc.message}", status=400, content_type="text/plain; charset=utf-8")
    return _attachment(exports.public_csv(summary), exports.CSV_TYPE,
                       f"coverage_{params.region.code if params.region else 'all'}_{params.start.year}.csv")
