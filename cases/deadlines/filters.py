"""Filters of the staff board and the breach register (django-filter)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.deadlines import rules as registry
from cases.deadlines.models import Deadline, DeadlineAction, Party
from cases.models import Court
from cases.selectors import visible_agencies


def courts_for(request):
    user = request.user if request else None
    if user is None or not user.is_authenticated:
        return Court.objects.none()
    if user.is_administrator:
        return Court.objects.order_by("code")
    if not user.agency_id:
        return Court.objects.none()
    return Court.objects.filter(agency__in=visible_agencies(user)).order_by("code")


def _rule_choices():
    return [(rule.code, rule.title) for rule in registry.REGISTRY.values()]


def _filterset(target, prefix=""):
    class Filter(django_filters.FilterSet):
        party = django_filters.ChoiceFilter(field_name=f"{prefix}party", choices=Party.choices,
                                            label=_("Responsible party"))
        rule = django_filters.ChoiceFilter(field_name=f"{prefix}rule_code", choices=_rule_choices, label=_("Rule"))
        court = django_filters.ModelChoiceFilter(field_name=f"{prefix}notice__court", queryset=courts_for,
                                                 label=_("Court"))
        status = django_filters.ChoiceFilter(field_name=f"{prefix}status", choices=Deadline.Status.choices,
                                             label=_("Status"))
        provisional = django_filters.BooleanFilter(field_name=f"{prefix}provisional", label=_("Provisional"))
        q = django_filters.CharFilter(method="search", label=_("Case number or defendant"))

        class Meta:
            model = target
            fields = ["party", "rule", "court", "status", "provisional", "q"]

        def search(self, queryset, name, value):
            value = value.strip()
            if not value:
                return queryset
            return queryset.filter(Q(**{f"{prefix}notice__case__case_number__icontains": value})
                                   | Q(**{f"{prefix}notice__defendant__name__icontains": value}))

    return Filter


DeadlineBoardFilter = _filterset(Deadline)
BreachRegisterFilter = _filterset(DeadlineAction, prefix="deadline__")
