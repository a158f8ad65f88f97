"""Roster test data: firms, lawyers (with accounts when asked), notices ready to designate."""
import datetime as dt
import itertools

from assignments.models import DutyStation, LawFirm, Lawyer
from assignments.names import name_key
from assignments.validators import make_licence_number
from cases.tests.factories import UserFactory, receive
from legalaid.models import Role

_seq = itertools.count(1)


def firm(world, name=None, region=None):
    return LawFirm.objects.create(name=name or f"河南测试律师事务所{next(_seq)}", region=region or world.yicheng,
                                  address="驻马店市驿城区", phone="0396-2000000")


def lawyer(world, *, name=None, region=None, law_firm=None, since=dt.date(2010, 1, 1), specialities=(),
           languages=(), account=False, male=True, **extra):
    n = next(_seq)
    name = name or f"律师{n}"
    user = UserFactory(username=f"lawyer{n}", full_name=name, role=Role.LAWYER) if account else None
    return Lawyer.objects.create(
        name=name, name_key=name_key(name), licence_number=make_licence_number(seq=n, male=male),
        gender="male" if male else "female", firm=law_firm or firm(world), region=region or world.yicheng,
        phone=f"1380000{n:04d}", criminal_defence_since=since, specialities=list(specialities),
        languages=list(languages), user=user, **extra)


def court_station(world, court=None):
    court = court or world.court
    return DutyStation.objects.create(agency=court.agency, kind=DutyStation.Kind.COURT, court=court,
                                      name=f"{court.name}法律援助工作站")


def detention_station(world, name="驻马店市看守所"):
    return DutyStation.objects.create(agency=world.agency, kind=DutyStation.Kind.DETENTION_CENTRE, name=name)


def notice(world, **overrides):
    return receive(world, **overrides)


def post(client, url, body=None, **headers):
    import json

    return client.post(url, data=json.dumps(body or {}, ensure_ascii=False), content_type="application/json",
                       **headers)


def codes(response):
    return {e["code"] for e in response.json()["errors"]}


def designate(world, notice, lawyer, actor=None, **kwargs):
    from assignments.services import lawyer_designate

    return lawyer_designate(notice=notice, lawyer=lawyer, actor=actor or world.staff, **kwargs)
