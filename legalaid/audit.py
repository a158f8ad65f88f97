"""Who made each change kept by django-simple-history, whatever made it.

Services pass the acting user (`obj._history_user = actor`); a page request is also known to the
history middleware. Two cases are left: an API call (its token user is known once DRF has
authenticated it, after the middleware ran) and work done by a Celery task with no acting person
(duty routing, the deadline sweep). `record_who` fills the history row's user in both: the request's
authenticated user, or, inside a task, the system account, with the task's name as the reason."""
import threading

from simple_history.models import HistoricalRecords

SYSTEM_USERNAME = "system"
_tasks = threading.local()


def system_user():
    """The account that stands for the system's own work in the case history. It cannot log in."""
    from legalaid.models import Role, User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.ADMIN, "full_name": "系统（定时任务）", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def current_task():
    stack = getattr(_tasks, "stack", None)
    return stack[-1] if stack else None


def task_started(sender=None, task=None, **kwargs):
    _tasks.stack = [*getattr(_tasks, "stack", []), getattr(task, "name", str(sender))]


def task_finished(sender=None, task=None, **kwargs):
    stack = getattr(_tasks, "stack", [])
    _tasks.stack = stack[:-1]


def record_who(sender, instance, history_instance, **kwargs):
    """simple-history's pre_create_historical_record: fill in who, when the service did not say."""
    if history_instance.history_user_id is not None:
        return
    task = current_task()
    if task is not None:
        history_instance.history_user = system_user()
        if not getattr(history_instance, "history_change_reason", None):
            history_instance.history_change_reason = f"task {task}"[:100]
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        history_instance.history_user = user


def connect():
    from celery.signals import task_postrun, task_prerun
    from simple_history.signals import pre_create_historical_record

    task_prerun.connect(task_started, weak=False, dispatch_uid="legalaid.audit.task_started")
    task_postrun.connect(task_finished, weak=False, dispatch_uid="legalaid.audit.task_finished")
    pre_create_historical_record.connect(record_who, weak=False, dispatch_uid="legalaid.audit.record_who")
