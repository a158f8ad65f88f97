"""`celery -A legalaid worker ...` with the wall clock set to $FROZEN_AT (ISO 8601) and ticking
from there, so that a test on a fixed date can run real worker processes. Only wall-clock time
moves (time-machine leaves the monotonic clock alone, which Celery's and kombu's timers use)."""
import datetime as dt
import os
import sys

if os.environ.get("FROZEN_AT"):
    import time_machine

    time_machine.travel(dt.datetime.fromisoformat(os.environ["FROZEN_AT"]), tick=True).start()

if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
