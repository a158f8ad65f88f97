"""Data for the fault tests, written by a subprocess into the test's private database (see
conftest.run_script): the world of cases.tests.factories, API keys, and staff who take texts."""
import datetime as dt

from legalaid.models import ApiToken


def _key(user, name) -> str:
    token = ApiToken(user=user, name=name)
    raw = ApiToken.new_key()
    token.set_key(raw)
    token.save()
    return raw


def world(*, duty_shift=False, staff_email=True) -> dict:
    """The Zhumadian world; its agency's staff and supervisor have phones (texts) and, unless told
    otherwise, emails. With `duty_shift`, a duty lawyer is on shift today at 豫1702's court."""
    from cases.tests.factories import build_world
    from legalaid import clock

    w = build_world()
    for n, user in enumerate((w.staff, w.colleague, w.supervisor)):
        user.phone = f"1390000{n:04d}"
        user.email = f"staff{n}@legalaid.example.cn" if staff_email else ""
        user.save(update_fields=["phone", "email"])
    out = {"court_token": _key(w.court_user, "faults"), "staff_token": _key(w.staff, "faults")}
    if duty_shift:
        from assignments.services import duty_shift_add
        from assignments.tests import factories as af

        station = af.court_station(w)
        lawyer = af.lawyer(w, name="值班律师", account=True)
        duty_shift_add(station=station, date=clock.today(), lawyer=lawyer, actor=w.staff)
        out["duty_lawyer"] = lawyer.pk
    return out


def notices_received_at(moment: str, count: int) -> dict:
    """`count` notices received from 豫1702 at `moment` (ISO), through the service as the API would."""
    import time_machine

    from cases.models import Court
    from cases.tests.factories import receive
    from legalaid.models import User

    class World:
        court = Court.objects.get(code="豫1702")
        court_user = User.objects.get(username="court-1702")

    with time_machine.travel(dt.datetime.fromisoformat(moment), tick=False):
        ids = [str(receive(World).pk) for _n in range(count)]
    return {"notices": ids}
