"""Each lawyer's load (LawyerLoad): kept with every designation, read by the recommendation,
checked against the designations.

Why a stored summary: the recommendation ranks a whole pool (a prefecture's lawyers, 12,000 in the
largest seeded pool) by open caseload, recent designations and the last designation. Counted from
the designations at each ranking, that is three index probes per lawyer; read from here it is one
row per lawyer.

Kept in the designation's own transaction: every service that makes a designation or moves it out
of pending/accepted calls `load_designation_moved` (assignments.services.designations: designate,
decline, refusal, termination, withdrawal, replacement — the complaint's replacement and duty
routing go through them; assignments.work.services.closing: the closing accepted). The row is
locked first (`SELECT … FOR UPDATE`), so two designations of one lawyer at once count both.

Recent designations slide with time without a stored count going stale: the row keeps *when* each
designation not declined was made over the last RECENT_HORIZON_DAYS (the longest rotation window
an agency may set), and each ranking counts, as it reads the row, those inside its own agency's
window (`RecentCount`). Moments older than the horizon are dropped on the next write or check;
until then they are simply not counted.

`load_check` (hourly, legalaid/celery.py; `manage.py load_check`) recomputes every row from the
designations, repairs what differs and records the run (LoadCheck, in the admin) with what
differed: a difference means a write that bypassed the services (a raw UPDATE, a restore, a bug),
which is for the administrators to look into, not for agency staff."""
import bisect
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, Func, IntegerField, Max, Q

from assignments.models import RECENT_HORIZON_DAYS, Designation, Lawyer, LawyerLoad, LoadCheck
from legalaid import clock

log = logging.getLogger(__name__)

# Lawyers compared per transaction: their rows stay locked while their designations are counted.
CHECK_CHUNK = 2000
# Differences kept on the LoadCheck row (all are repaired).
DETAILS_KEPT = 100


def epoch(moment: dt.datetime) -> int:
    """A moment as whole seconds since the epoch (what LawyerLoad.recent stores)."""
    return int(moment.timestamp() // 1)


def horizon_start(now: dt.datetime) -> int:
    return epoch(now - dt.timedelta(days=RECENT_HORIZON_DAYS))


class RecentCount(Func):
    """How many of a LawyerLoad.recent's moments fall at or after `since` (epoch seconds): the
    lawyer's designations inside a rotation window, counted as the row is read. No load row counts
    as none."""

    output_field = IntegerField()
    # JSON text (SQLite): a count over its elements.
    template = "COALESCE((SELECT COUNT(*) FROM json_each(%(expressions)s) WHERE json_each.value >= %(since)s), 0)"
    # bigint[] (PostgreSQL), oldest first: width_bucket finds by binary search how many fall before
    # `since`; the others are inside the window.
    template_postgresql = ("CASE WHEN cardinality(%(expressions)s) > 0 THEN cardinality(%(expressions)s) - "
                           "width_bucket(%(before)s::bigint, %(expressions)s) ELSE 0 END")

    def __init__(self, field, since: int, **extra):
        self.since = int(since)
        super().__init__(field, **extra)

    def as_sql(self, compiler, connection, **extra):
        # Whole numbers computed here, not input: written into the statement as numbers.
        return super().as_sql(compiler, connection, since=str(self.since), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=self.template_postgresql,
                              before=str(self.since - 1), **extra)


# --- Kept with every designation -------------------------------------------------------------------

def _locked(lawyer_ids) -> dict:
    """The load rows of these lawyers, created if missing, locked in id order (two services
    touching the same two lawyers in opposite orders then wait for each other instead of
    deadlocking)."""
    ids = sorted(set(lawyer_ids))
    rows = {row.pk: row for row in LawyerLoad.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = [i for i in ids if i not in rows]
    if missing:
        LawyerLoad.objects.bulk_create([LawyerLoad(lawyer_id=i) for i in missing], ignore_conflicts=True)
        rows.update({row.pk: row for row in
                     LawyerLoad.objects.select_for_update().filter(pk__in=missing).order_by("pk")})
    return rows


def loads_lock(*, lawyer_ids) -> None:
    """Lock the load rows of several lawyers at once, in id order: for a service that moves
    designations of two lawyers (a replacement), before it moves either."""
    _locked(lawyer_ids)


def load_designation_moved(*, designation, was: str | None) -> LawyerLoad:
    """Follow a designation's move from `was` (None: it was just made) to its current status in its
    lawyer's load, in the caller's transaction. Two queries (the locked row, its update)."""
    status = designation.status
    opened = was is None and status in Designation.CURRENT
    closed = was in Designation.CURRENT and status not in Designation.CURRENT
    row = _locked([designation.lawyer_id])[designation.lawyer_id]
    cutoff = horizon_start(clock.now())
    recent = [t for t in row.recent if t >= cutoff]
    at = epoch(designation.designated_at)
    if was is None:
        if status != Designation.Status.DECLINED and at >= cutoff:
            bisect.insort(recent, at)
        if row.last_designated_at is None or designation.designated_at > row.last_designated_at:
            row.last_designated_at = designation.designated_at
    elif status == Designation.Status.DECLINED and was != status and at in recent:
        recent.remove(at)  # a declined designation is not a turn in the rotation
    if opened:
        row.open_cases += 1
    elif closed:
        if row.open_cases == 0:  # already wrong: the check will recompute it
            log.warning("lawyer load: open cases of lawyer %s would fall below zero", designation.lawyer_id)
        row.open_cases = max(row.open_cases - 1, 0)
    row.recent = recent
    row.save(update_fields=["open_cases", "recent", "last_designated_at"])
    return row


# --- Recomputed from the designations --------------------------------------------------------------

def expected_loads(designations, *, first: int, last: int, now: dt.datetime) -> dict:
    """{lawyer id: {open_cases, recent, last_designated_at}} of the lawyers with ids first..last
    that have designations, recomputed from `designations` (Designation's manager: the migration
    that creates the table passes its historical model). Two queries."""
    current = [str(s) for s in Designation.CURRENT]
    declined = str(Designation.Status.DECLINED)
    scoped = designations.filter(lawyer_id__gte=first, lawyer_id__lte=last).order_by()
    out = {}
    for lawyer_id, open_cases, last_at in (scoped.values("lawyer_id")
                                           .annotate(n=Count("pk", filter=Q(status__in=current)),
                                                     at=Max("designated_at"))
                                           .values_list("lawyer_id", "n", "at")):
        out[lawyer_id] = {"open_cases": open_cases, "recent": [], "last_designated_at": last_at}
    since = dt.datetime.fromtimestamp(horizon_start(now), tz=dt.timezone.utc)
    for lawyer_id, at in (scoped.filter(designated_at__gte=since).exclude(status=declined)
                          .values_list("lawyer_id", "designated_at")):
        out[lawyer_id]["recent"].append(epoch(at))
    for row in out.values():
        row["recent"].sort()
    return out


EMPTY = {"open_cases": 0, "recent": [], "last_designated_at": None}


def _differences(row: LawyerLoad, expected: dict, cutoff: int) -> dict:
    stored = {"open_cases": row.open_cases, "recent": [t for t in row.recent if t >= cutoff],
              "last_designated_at": row.last_designated_at}
    return {field: [_shown(stored[field]), _shown(value)] for field, value in expected.items()
            if stored[field] != value}


def _shown(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def load_differences(*, now=None) -> list[dict]:
    """[{lawyer, field: [stored, recomputed], ...}] of every lawyer whose load differs from a
    recomputation from the designations (no row counts as an empty one). Reads only."""
    now = now or clock.now()
    cutoff = horizon_start(now)
    ids = list(Lawyer.objects.order_by("pk").values_list("pk", flat=True))
    out = []
    for start in range(0, len(ids), CHECK_CHUNK):
        chunk = ids[start:start + CHECK_CHUNK]
        rows = {row.pk: row for row in LawyerLoad.objects.filter(pk__in=chunk)}
        expected = expected_loads(Designation.objects, first=chunk[0], last=chunk[-1], now=now)
        for lawyer_id in chunk:
            differs = _differences(rows.get(lawyer_id) or LawyerLoad(lawyer_id=lawyer_id),
                                   expected.get(lawyer_id, EMPTY), cutoff)
            if differs:
                out.append({"lawyer": lawyer_id, **differs})
    return out


def load_check(*, now=None, lawyer_ids=None) -> LoadCheck:
    """Compare every lawyer's load row (or those of `lawyer_ids`) with a recomputation from the
    designations, repair each that differs (drift), drop moments older than the horizon, and record
    the run. Chunk by chunk: a chunk's rows are locked while its designations are counted, so a
    designation committing meanwhile is counted either in both or, after the chunk, by its own
    service."""
    now = now or clock.now()
    check = LoadCheck(started_at=now)
    cutoff = horizon_start(now)
    ids = Lawyer.objects.order_by("pk").values_list("pk", flat=True)
    if lawyer_ids is not None:
        ids = ids.filter(pk__in=list(lawyer_ids))
    ids = list(ids)
    for start in range(0, len(ids), CHECK_CHUNK):
        chunk = ids[start:start + CHECK_CHUNK]
        with transaction.atomic():
            rows = _locked(chunk)  # a lawyer with no row gets an empty one, which may differ too
            expected = expected_loads(Designation.objects, first=chunk[0], last=chunk[-1], now=now)
            changed = []
            for lawyer_id, row in sorted(rows.items()):
                want = expected.get(lawyer_id, EMPTY)
                differs = _differences(row, want, cutoff)
                if differs:
                    check.drifted += 1
                    if len(check.details) < DETAILS_KEPT:
                        check.details.append({"lawyer": lawyer_id, **differs})
                if differs or len(want["recent"]) != len(row.recent):
                    changed.append(LawyerLoad(lawyer_id=lawyer_id, open_cases=want["open_cases"],
                                              recent=list(want["recent"]),
                                              last_designated_at=want["last_designated_at"]))
            if changed:
                # Rewritten whole under the same locks: a DELETE and an INSERT, where Django's
                # bulk_update costs seconds per thousand rows. A service waiting for one of these rows
                # finds it gone when this commits, and takes the new one (_locked).
                LawyerLoad.objects.filter(pk__in=[row.lawyer_id for row in changed]).delete()
                LawyerLoad.objects.bulk_create(changed, batch_size=1000)
            check.lawyers += len(rows)
    check.finished_at = clock.now()
    check.save()
    if check.drifted:
        log.warning("lawyer load check: %s of %s lawyers' loads differed from their designations and were "
                    "repaired (LoadCheck %s): %s", check.drifted, check.lawyers, check.pk, check.details[:5])
    else:
        log.info("lawyer load check: %s lawyers, no difference", check.lawyers)
    return check
