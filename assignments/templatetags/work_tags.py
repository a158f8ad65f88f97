"""The lawyer's work on the staff's notice page (cases/notice_detail.html's assignment panel): the
court's feedback, the work log with what is verified, the closing with its review, and answers to
complaints. A fixed number of queries."""
from django import template

from assignments import selectors
from assignments.work import selectors as work_selectors
from assignments.work.forms import AmendForm, ReviewForm
from legalaid.permissions import is_supervisor

register = template.Library()


@register.simple_tag
def current_designation(notice):
    """The notice's current designation (pending or accepted), or None: the staff's notice page."""
    return selectors.current_designation(notice)


@register.inclusion_tag("assignments/_work_panel.html", takes_context=True)
def work_panel(context, notice):
    request = context["request"]
    user = request.user
    closing = work_selectors.closing_of(notice)
    return {
        "notice": notice, "request": request, "csrf_token": context.get("csrf_token"),
        "entries": work_selectors.work_entries(notice), "feedback": work_selectors.court_feedback(notice),
        "closing": closing, "duties": work_selectors.duty_rows(closing.duties) if closing else [],
        "can_write": user.can_write_cases, "is_supervisor": is_supervisor(user),
        "review_form": ReviewForm(), "amend_form": AmendForm(initial={"summary": closing.summary} if closing else None),
    }
