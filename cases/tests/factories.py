"""Test data: factories and a small world (Zhumadian, Henan: the city, two counties, their courts
and legal aid centres, and a user in every role)."""
import datetime as dt
import random
from types import SimpleNamespace

import factory

from cases.models import Agency, Court, Region
from cases.validators import compose_id_number
from legalaid.models import Role, User


def make_id_number(birth: dt.date, *, male=True, region="411702", seq=None) -> str:
    return compose_id_number(birth, male=male, region=region, seq=random.randrange(100, 998) if seq is None else seq)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.AGENCY_STAFF
    password = factory.django.Password("pw-for-tests-1")


_counter = iter(range(1, 10**9))


def notice_payload(*, case_number=None, procedure="ordinary", accepted_on="2026-09-28", birth=dt.date(1990, 3, 7),
                   male=True, court=None, **overrides) -> dict:
    """A valid docs/court-api.md notice body; keyword arguments replace top-level keys, and
    `defendant__<key>` replaces a defendant key. The case number carries `court`'s code (豫1702's by
    default): a court may file only its own numbers."""
    n = next(_counter)
    defendant = {
        "name": f"李某{n}", "id_number": make_id_number(birth, male=male), "gender": "male" if male else "female",
        "birth_date": birth.isoformat(), "ethnicity": "汉族",
        "custody": {"status": "detained", "place": "驻马店市看守所"}, "residence": "河南省驻马店市驿城区",
        "conditions": [], "may_face_life_or_death": False,
    }
    for key in [k for k in overrides if k.startswith("defendant__")]:
        defendant[key.split("__", 1)[1]] = overrides.pop(key)
    body = {
        "case_number": case_number or f"（2026）{court.code if court else '豫1702'}刑初{n}号", "procedure": procedure, "accepted_on": accepted_on,
        "charges": ["盗窃罪"], "judge": {"name": "张某某", "phone": "0396-1234567"}, "defendant": defendant,
        "documents_attached": ["indictment"],
    }
    body.update(overrides)
    return body


def build_world():
    henan = Region.objects.create(code="410000", name="河南省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="411700", name="驻马店市", level=Region.Level.PREFECTURE, parent=henan)
    yicheng = Region.objects.create(code="411702", name="驿城区", level=Region.Level.COUNTY, parent=city)
    xiping = Region.objects.create(code="411721", name="西平县", level=Region.Level.COUNTY, parent=city)
    city_agency = Agency.objects.create(name="驻马店市法律援助中心", region=city)
    agency = Agency.objects.create(name="驻马店市驿城区法律援助中心", region=yicheng, parent=city_agency)
    other_agency = Agency.objects.create(name="西平县法律援助中心", region=xiping, parent=city_agency)
    court = Court.objects.create(code="豫1702", name="驻马店市驿城区人民法院", level=Court.Level.BASIC,
                                 region=yicheng, agency=agency)
    other_court = Court.objects.create(code="豫1721", name="西平县人民法院", level=Court.Level.BASIC, region=xiping,
                                       agency=other_agency)
    city_court = Court.objects.create(code="豫17", name="驻马店市中级人民法院", level=Court.Level.INTERMEDIATE,
                                      region=city, agency=city_agency)
    w = SimpleNamespace(henan=henan, city=city, yicheng=yicheng, xiping=xiping, city_agency=city_agency,
                        agency=agency, other_agency=other_agency, court=court, other_court=other_court,
                        city_court=city_court)
    w.court_user = UserFactory(username="court-1702", role=Role.COURT, court=court)
    w.other_court_user = UserFactory(username="court-1721", role=Role.COURT, court=other_court)
    w.staff = UserFactory(username="staff", full_name="王员工", role=Role.AGENCY_STAFF, agency=agency)
    w.colleague = UserFactory(username="colleague", role=Role.AGENCY_STAFF, agency=agency)
    w.supervisor = UserFactory(username="supervisor", full_name="赵主任", role=Role.SUPERVISOR, agency=agency)
    w.outsider = UserFactory(username="outsider", role=Role.AGENCY_STAFF, agency=other_agency)
    w.city_staff = UserFactory(username="city-staff", role=Role.AGENCY_STAFF, agency=city_agency)
    w.auditor = UserFactory(username="auditor", role=Role.AUDITOR, agency=city_agency)
    w.admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    return w


def receive(world, **overrides):
    """A notice received from the world's court through the service, as the API would."""
    from cases.api.serializers import NoticeCreateSerializer
    from cases.services import notice_receive

    serializer = NoticeCreateSerializer(data=notice_payload(**overrides))
    serializer.is_valid(raise_exception=True)
    return notice_receive(court=world.court, data=serializer.validated_data, actor=world.court_user)
