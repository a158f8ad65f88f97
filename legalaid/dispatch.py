"""Handing work to the Celery workers without letting a broker outage fail the request that asked
for it.

A court's notice must be received and answered even while Redis (the broker) is down. So follow-up
work is queued after the commit through `on_commit()`; when the broker cannot be reached the call is
logged and kept as a PendingDispatch row, which the periodic catch-up (legalaid.tasks.dispatch_catch_up)
sends once the broker is back. Work that has an outbox of its own (notification deliveries: the
deliveries sweep finds every due one) passes durable=False and is only logged.

After a failure the broker is not tried again for BREAKER_SECONDS in this process: every further
call goes straight to the catch-up, so a request does not wait for one connection timeout per task."""
import logging
import time

from django.db import transaction

logger = logging.getLogger("legalaid.dispatch")

BREAKER_SECONDS = 30.0
_broker_down_until = 0.0


def _eager(task) -> bool:
    return bool(task.app.conf.task_always_eager)


def send(task, *args, durable: bool = True, **kwargs) -> bool:
    """Queue `task(*args, **kwargs)` now. Returns True when the broker took it; otherwise logs, keeps
    the call for the catch-up when `durable`, and returns False. Never raises for a broker fault."""
    global _broker_down_until
    if _eager(task):
        # Tests run tasks inline: their own exceptions must propagate, not pass for a broker fault.
        task.apply_async(args=args, kwargs=kwargs)
        return True
    error = "the broker failed moments ago; not tried again yet"
    if time.monotonic() >= _broker_down_until:
        try:
            task.apply_async(args=args, kwargs=kwargs)
            return True
        except Exception as exc:  # kombu's OperationalError, a socket error: the broker is unreachable
            _broker_down_until = time.monotonic() + BREAKER_SECONDS
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("Could not queue %s%r: %s. %s", task.name, args, error,
                           "Kept for the catch-up." if durable else "Its own sweep will pick it up.")
    if durable:
        from legalaid.models import PendingDispatch

        PendingDispatch.objects.create(task=task.name, args=list(args), kwargs=kwargs, last_error=error[:500])
    return False


def on_commit(task, *args, durable: bool = True, **kwargs) -> None:
    """Queue the task once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: send(task, *args, durable=durable, **kwargs))


def reset_breaker() -> None:
    global _broker_down_until
    _broker_down_until = 0.0
