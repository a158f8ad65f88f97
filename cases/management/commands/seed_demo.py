"""Demo data: a realistic slice of Henan province — Zhumadian's intermediate court and its county
courts, the city and county legal aid centres, law firms and about 200 lawyers, about 500 notices in
every state, and a demo login per role. Idempotent: running it again adds nothing that exists."""
import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.api.serializers import NoticeCreateSerializer
from cases.models import Agency, Court, Notice, Region
from cases.validators import compose_id_number
from legalaid import clock
from legalaid.models import ApiToken, Role, User

DEMO_PASSWORD = "demo-pass-2026"

COUNTIES = [
    ("411702", "驿城区"), ("411721", "西平县"), ("411722", "上蔡县"), ("411723", "平舆县"), ("411724", "正阳县"),
    ("411725", "确山县"), ("411726", "泌阳县"), ("411727", "汝南县"), ("411728", "遂平县"), ("411729", "新蔡县"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华红梅鹏飞志强海燕春梅晓东"
CHARGES = ["盗窃罪", "诈骗罪", "故意伤害罪", "抢劫罪", "危险驾驶罪", "帮助信息网络犯罪活动罪", "贩卖毒品罪",
           "寻衅滋事罪", "职务侵占罪", "故意杀人罪", "强奸罪", "非法吸收公众存款罪", "交通肇事罪", "开设赌场罪"]
SERIOUS = {"故意杀人罪", "贩卖毒品罪", "抢劫罪"}
DETENTION = "{county}看守所"
MEETING_NOTES = ["会见笔录：被告人对起诉书指控的事实无异议，表示认罪悔罪。",
                 "会见笔录：被告人称系被他人胁迫参与，对部分事实有异议。",
                 "会见笔录：告知诉讼权利，核实案件事实，被告人要求从轻处罚。"]
REVIEW_NOTES = ["阅卷笔录：证据链基本完整，量刑情节有自首。", "阅卷笔录：关键证人证言前后矛盾，监控录像未随案移送。",
                "阅卷笔录：鉴定意见程序存在瑕疵，拟申请重新鉴定。"]
OUTCOMES = ["判处有期徒刑一年", "判处有期徒刑三年，缓刑三年", "判处拘役六个月", "免予刑事处罚"]
# A one-page PDF (the demo's written opinions).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --cases N sets how many notices there should be."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, cases, seed, **options):
        from django.conf import settings
        from django.core.management.base import CommandError

        if not getattr(settings, "DEMO_DATA_ALLOWED", True):
            # The demo's logins and API keys are public (README): never in a deployment.
            raise CommandError("Refusing to write the demo data (public logins and API keys) with the production "
                               "settings.")
        self.random = random.Random(seed)
        from cases.deadlines.services import calendar_seed_from_package

        entered = calendar_seed_from_package()
        if entered:
            self.stdout.write(f"Working-day calendar entered for {entered[0]}–{entered[-1]}.")
        with transaction.atomic():
            world = self.reference()
            logins = self.users(world)
            from quality.subsidies import demo as subsidies_demo

            subsidies_demo.seed(region=world["city"], actor=User.objects.get(username="admin"))
        self.lawyers(world)
        made = self.notices(world, cases)
        self.demo_lawyer()
        from quality import demo as quality_demo

        quality_demo.seed(self.stdout)
        self.stdout.write(f"Notices: {Notice.objects.count()} ({made} new).")
        self.print_logins(logins + self.logins_extra)

    # --- Reference data --------------------------------------------------------------------------
    def reference(self):
        henan, _ = Region.objects.get_or_create(code="410000", defaults={"name": "河南省", "level": "province"})
        city, _ = Region.objects.get_or_create(code="411700", defaults={"name": "驻马店市", "level": "prefecture",
                                                                         "parent": henan})
        city_agency, _ = Agency.objects.get_or_create(
            name="驻马店市法律援助中心", defaults={"region": city, "phone": "0396-2612148", "address": "驻马店市驿城区解放路"})
        city_court, _ = Court.objects.get_or_create(code="豫17", defaults={
            "name": "驻马店市中级人民法院", "level": "intermediate", "region": city, "agency": city_agency,
            "liaison_name": "刘立案", "liaison_phone": "0396-2721000"})
        counties = []
        for code, name in COUNTIES:
            region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "level": "county",
                                                                          "parent": city})
            agency, _ = Agency.objects.get_or_create(name=f"{name}法律援助中心", defaults={
                "region": region, "parent": city_agency, "phone": f"0396-{code[-2:]}12348"})
            court, _ = Court.objects.get_or_create(code=f"豫17{code[-2:]}", defaults={
                "name": f"{'驻马店市' if name == '驿城区' else ''}{name}人民法院", "level": "basic", "region": region,
                "agency": agency, "liaison_name": f"{name}立案庭", "liaison_phone": f"0396-{code[-2:]}21000"})
            counties.append((region, agency, court))
        return {"henan": henan, "city": city, "city_agency": city_agency, "city_court": city_court,
                "counties": counties}

    # --- Demo logins -----------------------------------------------------------------------------
    def _user(self, username, **fields):
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def users(self, world):
        _region, yicheng_agency, yicheng_court = world["counties"][0]
        _region, xiping_agency, xiping_court = world["counties"][1]
        logins = [
            ("admin", self._user("admin", role=Role.ADMIN, full_name="系统管理员", is_staff=True, is_superuser=True),
             "administrator"),
            ("staff", self._user("staff", role=Role.AGENCY_STAFF, full_name="王晓敏", agency=yicheng_agency),
             "agency staff, 驿城区法律援助中心"),
            ("supervisor", self._user("supervisor", role=Role.SUPERVISOR, full_name="赵建国",
                                      agency=yicheng_agency), "agency supervisor, 驿城区"),
            ("city-staff", self._user("city-staff", role=Role.AGENCY_STAFF, full_name="陈丽",
                                      agency=world["city_agency"]), "agency staff, 驻马店市法律援助中心 (whole city)"),
            ("xiping-staff", self._user("xiping-staff", role=Role.AGENCY_STAFF, full_name="孙涛",
                                        agency=xiping_agency), "agency staff, 西平县"),
            ("auditor", self._user("auditor", role=Role.AUDITOR, full_name="周审计", agency=world["city_agency"]),
             "auditor (read only), whole city"),
            ("evaluator", self._user("evaluator", role=Role.EVALUATOR, full_name="吴评估",
                                     agency=world["city_agency"]), "quality evaluator"),
        ]
        self.court_tokens = {}
        for court in (yicheng_court, xiping_court, world["city_court"]):
            user = self._user(f"court-{court.code}", role=Role.COURT, court=court, full_name=court.name)
            raw = "demo-court-" + "".join(ch for ch in court.code if ch.isdigit())
            if not ApiToken.objects.filter(user=user, name="demo").exists():
                token = ApiToken(user=user, name="demo")
                token.set_key(raw)
                token.save()
            self.court_tokens[court.code] = raw
            logins.append((user.username, user, f"court account of {court.name}"))
        return logins

    # --- Lawyers ------------------------------------------------------------------------------------
    def lawyers(self, world):
        from assignments.models import DutyStation, LawFirm, Lawyer
        from assignments.services.duty import duty_shift_add
        from assignments.services.roster import lawfirm_create, lawyer_create
        from assignments.validators import make_licence_number

        admin = User.objects.get(username="admin")
        rnd = self.random
        if Lawyer.objects.count() < 200:
            firms = []
            for index, (region, _agency, _court) in enumerate(world["counties"]):
                for n in range(1 if index else 6):
                    name = f"河南{region.name[:2]}{['正义', '天平', '明德', '中原', '信达', '弘法'][n]}律师事务所"
                    firm = LawFirm.objects.filter(name=name).first() or lawfirm_create(
                        name=name, region=region, phone=f"0396-{rnd.randrange(1000000, 9999999)}", actor=admin)
                    firms.append(firm)
            serial = Lawyer.objects.count()
            while serial < 200:
                serial += 1
                firm = firms[serial % len(firms)]
                year = rnd.randrange(1998, 2025)
                male = rnd.random() < 0.6
                specialities = rnd.sample(["minors", "death_penalty", "economic_crime", "cyber_fraud", "drugs",
                                           "violent_crime"], k=rnd.randrange(0, 3))
                lawyer_create(actor=admin, data={
                    "name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                    "licence_number": make_licence_number(year=year, male=male, seq=serial),
                    "firm": firm, "region": firm.region, "phone": f"13{rnd.randrange(100000000, 999999999)}",
                    "criminal_defence_since": dt.date(year, rnd.randrange(1, 13), 1),
                    "specialities": specialities, "languages": ["csl"] if serial % 40 == 0 else []})
        lawyer = Lawyer.objects.order_by("pk").filter(region=world["counties"][0][0]).first()
        account = self._user("lawyer", role=Role.LAWYER, full_name=lawyer.name)
        if lawyer.user_id is None:
            Lawyer.objects.filter(pk=lawyer.pk).update(user=account)
        for other in Lawyer.objects.filter(user__isnull=True):
            # Every lawyer has an account (to answer designations); only "lawyer" can log in here.
            user = User.objects.create(username=f"lawyer-{other.licence_number}", role=Role.LAWYER,
                                       full_name=other.name)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Lawyer.objects.filter(pk=other.pk).update(user=user)
        self.logins_extra = [("lawyer", account, f"lawyer {lawyer.name} ({lawyer.firm.name})")]
        # Duty lawyers on shift at each county court for the coming two weeks.
        today = clock.today()
        for region, agency, court in world["counties"]:
            station, _ = DutyStation.objects.get_or_create(
                agency=agency, name=f"{court.name}值班律师工作站",
                defaults={"kind": DutyStation.Kind.COURT, "court": court})
            pool = list(Lawyer.objects.filter(region=region, status=Lawyer.Status.ACTIVE).order_by("pk")[:5])
            for offset in range(14):
                day = today + dt.timedelta(days=offset)
                if pool and not station.shifts.filter(date=day).exists():
                    duty_shift_add(station=station, date=day, lawyer=pool[offset % len(pool)], actor=admin)

    # --- Notices -------------------------------------------------------------------------------------
    def notices(self, world, wanted):
        from cases import services

        have = Notice.objects.count()
        rnd = self.random
        now = clock.now()
        made = 0
        while have + made < wanted:
            serial = have + made + 1
            region, agency, court = world["counties"][serial % len(world["counties"])]
            if serial % 9 == 0:
                court = world["city_court"]
            received = now - dt.timedelta(days=rnd.randrange(0, 120), hours=rnd.randrange(0, 10))
            accepted = clock.beijing_date(received) - dt.timedelta(days=rnd.randrange(0, 6))
            procedure = rnd.choices(["ordinary", "summary", "fast_track", "second_instance", "retrial",
                                     "death_penalty_review"], weights=[55, 15, 10, 14, 3, 1])[0]
            if court.level == "intermediate" and procedure in ("summary", "fast_track"):
                procedure = "second_instance"
            birth = dt.date(rnd.randrange(1955, 2010), rnd.randrange(1, 13), rnd.randrange(1, 29))
            male = rnd.random() < 0.85
            charge = rnd.choice(CHARGES)
            kind = {"ordinary": "刑初", "summary": "刑初", "fast_track": "刑初", "second_instance": "刑终",
                    "retrial": "刑再", "death_penalty_review": "刑核"}[procedure]
            hearing = None
            if rnd.random() < 0.7:
                starts = clock.start_of_day(accepted + dt.timedelta(days=rnd.randrange(20, 60))) + dt.timedelta(hours=9)
                hearing = {"starts_at": starts.isoformat(), "place": f"第{rnd.randrange(1, 6)}审判庭"}
            custody = rnd.choices(["detained", "bail", "residential_surveillance", "not_in_custody"],
                                  weights=[70, 20, 5, 5])[0]
            body = {
                "case_number": f"（{accepted.year}）{court.code}{kind}{1000 + serial}号", "procedure": procedure,
                "accepted_on": accepted.isoformat(), "charges": [charge],
                "judge": {"name": rnd.choice(SURNAMES) + "法官", "phone": f"0396-{rnd.randrange(1000000, 9999999)}"},
                "defendant": {
                    "name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + ("" if rnd.random() < 0.5 else rnd.choice(GIVEN)),
                    "id_number": compose_id_number(birth, male=male, region=region.code, seq=serial % 997)
                    if rnd.random() < 0.92 else "",
                    "gender": "male" if male else "female", "birth_date": birth.isoformat(), "ethnicity": "汉族",
                    "custody": {"status": custody,
                                "place": DETENTION.format(county=region.name) if custody == "detained" else ""},
                    "residence": f"河南省驻马店市{region.name}{rnd.choice(['人民路', '解放路', '文化路', '中华路'])}"
                                 f"{rnd.randrange(1, 300)}号",
                    "conditions": ["deaf"] if serial % 97 == 0 else [],
                    "may_face_life_or_death": charge in SERIOUS and rnd.random() < 0.4,
                },
                "documents_attached": ["indictment" if kind == "刑初" else "first_instance_judgment"],
                "reason": rnd.choice(["", "full_coverage", "mandatory"]),
            }
            if hearing:
                body["hearing"] = hearing
            if birth > accepted:
                continue
            serializer = NoticeCreateSerializer(data=body)
            if not serializer.is_valid():
                continue
            court_user = User.objects.filter(court=court, role=Role.COURT).first()
            try:
                notice = services.notice_receive(court=court, data=serializer.validated_data, actor=court_user,
                                                 now=received)
            except services.DuplicateNotice:
                continue
            self.advance(notice, rnd, received)
            made += 1
        return made

    def advance(self, notice, rnd, received):
        """Move some notices on, so that every state is represented."""
        from cases import services

        staff = User.objects.filter(agency=notice.agency, role=Role.AGENCY_STAFF).first()
        roll = rnd.random()
        later = received + dt.timedelta(hours=rnd.randrange(2, 60))
        if roll < 0.12:
            services.supplement_request_create(notice=notice, items=list(notice.missing_materials) or ["other"],
                                               note="请补充起诉书副本。", actor=staff, now=later)
        elif roll < 0.2:
            court_user = User.objects.filter(court=notice.court, role=Role.COURT).first()
            services.notice_retained_counsel(notice=notice, lawyer_name="家属委托律师", firm="河南某律师事务所",
                                             actor=court_user, now=later)
        elif roll < 0.7:
            self.designate(notice, rnd, later)

    def designate(self, notice, rnd, when):
        """Designate the first-ranked candidate, as staff would; most lawyers accept, a few notices
        are then terminated on a LAL 48 ground."""
        from assignments.recommendation import recommend
        from assignments.services.designations import designation_accept, lawyer_designate, notice_aid_terminate

        staff = User.objects.filter(agency=notice.agency, role=Role.AGENCY_STAFF).first() or User.objects.get(
            username="admin")
        candidates = recommend(notice=notice, now=when).candidates
        if not candidates:
            return
        designation = lawyer_designate(notice=notice, lawyer=candidates[0].lawyer, actor=staff, now=when)
        accepted = rnd.random() < 0.8
        if accepted:
            designation_accept(designation=designation, actor=candidates[0].lawyer.user,
                               now=when + dt.timedelta(hours=3))
        if rnd.random() < 0.05:
            notice_aid_terminate(notice=notice, ground="proceedings_ended", note="检察院撤回起诉。", actor=staff,
                                 now=when + dt.timedelta(days=2))
        elif accepted:
            self.work(designation, rnd, when + dt.timedelta(hours=3))

    # --- The lawyer's work ---------------------------------------------------------------------------
    def work(self, designation, rnd, accepted_at, *, close="auto", not_heard=None, opinion=True, notified_at=None):
        """The lawyer's work log after accepting, as far as time allows: the papers, a meeting, the
        file, preparation, the hearing and the written opinion (or, when the court does not hear the
        case, the opinion within 10 days); then the court's judgment and, for older cases, the
        closing, which staff accept or return. `close`: None, "submit", "return", "accept" or "auto"."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from assignments.work import services as work
        from legalaid.errors import DomainError

        notice, user, now = designation.notice, designation.lawyer.user, clock.now()
        court_user = User.objects.filter(court=notice.court, role=Role.COURT).first()
        staff = User.objects.filter(agency=notice.agency, role=Role.AGENCY_STAFF).first() or User.objects.get(
            username="admin")
        place = notice.defendant.custody_place or "驻马店市看守所"

        def at(days, hours=0):
            return accepted_at + dt.timedelta(days=days, hours=hours)

        def log(kind, when, files=(), **values):
            end = values.get("ended_at") or when + dt.timedelta(minutes=values.get("duration_minutes") or 0)
            if end > now - dt.timedelta(hours=1):
                return None
            try:
                return work.work_entry_log(notice=notice, kind=kind, values={"started_at": when, **values},
                                           files=files, actor=user, now=end + dt.timedelta(hours=1))
            except DomainError:
                return None

        def opinion_file():
            return [SimpleUploadedFile("书面辩护意见.pdf", DEMO_PDF)]

        try:
            log("papers_filed", at(1))
            log("meeting_request", at(1, 2), place=place)
            log("meeting", at(2), place=place, mode=rnd.choice(["in_person", "in_person", "video"]),
                duration_minutes=rnd.choice([40, 60, 90]), notes=rnd.choice(MEETING_NOTES))
            log("file_review", at(3), duration_minutes=rnd.choice([90, 120, 180]), subject="起诉书、讯问笔录、证人证言、鉴定意见",
                copied="主要证据材料", notes=rnd.choice(REVIEW_NOTES))
            request = log("evidence_request", at(3, 4), subject="调取案发现场监控录像") if rnd.random() < 0.3 else None
            if request is not None and at(5) < now:
                work.court_request_decide(notice=notice, request_id=request.pk, decided_on=clock.beijing_date(at(5)),
                                          decision=rnd.choice(["granted", "refused"]), reasons="", actor=court_user,
                                          now=at(5))
            hearing = notice.case.hearing_starts_at
            if not_heard is None:
                not_heard = hearing is None and rnd.random() < 0.5
            if not_heard:
                notified_at = notified_at or at(6)
                if notified_at > now:
                    return
                work.notice_not_heard(notice=notice, notified_on=clock.beijing_date(notified_at), actor=court_user,
                                      now=notified_at)
                if not opinion:
                    return
                log("written_opinion", at(9), files=opinion_file(), notes="书面辩护意见（不开庭审理）")
                decided = at(20)
            else:
                if hearing is None or hearing < at(3):
                    return
                log("preparation", hearing - dt.timedelta(days=2), notes="辩护提纲：事实部分、证据部分、量刑部分。",
                    duration_minutes=120)
                log("written_opinion", hearing - dt.timedelta(days=1), files=opinion_file(), notes="罪轻辩护意见")
                log("hearing", hearing, ended_at=hearing + dt.timedelta(hours=3), whole_hearing=True,
                    place=notice.case.hearing_place)
                decided = hearing + dt.timedelta(days=10)
            if decided > now:
                return
            adopted = rnd.choice(["full", "partial", "partial", "none"])
            work.notice_judgment(notice=notice, pronounced_on=clock.beijing_date(decided), outcome=rnd.choice(OUTCOMES),
                                 adopted=adopted, reasons="" if adopted == "full" else "被告人有前科，从轻处罚的意见不予采纳。",
                                 actor=court_user, now=decided)
            if close == "auto":
                close = rnd.choices([None, "submit", "accept", "return"], weights=[3, 1, 5, 1])[0]
            if close is None or decided + dt.timedelta(days=4) > now:
                return
            closing = work.closing_submit(notice=notice, summary="本案已审结，已履行会见、阅卷、出庭和提交书面辩护意见等职责。",
                                          actor=user, now=decided + dt.timedelta(days=2))
            if close == "accept":
                work.closing_accept(closing=closing, actor=staff, now=decided + dt.timedelta(days=4))
            elif close == "return":
                work.closing_return(closing=closing, note="请补充会见笔录扫描件。", actor=staff,
                                    now=decided + dt.timedelta(days=4))
        except DomainError:
            return

    def demo_lawyer(self):
        """The `lawyer` login gets cases in every stage: awaiting an answer, in progress, not heard
        (the 10-day opinion running), closing under review, closing returned, closed."""
        from assignments.models import Designation, Lawyer
        from assignments.services.designations import designation_accept, lawyer_designate
        from legalaid.errors import DomainError

        lawyer = Lawyer.objects.select_related("user").filter(user__username="lawyer").first()
        if lawyer is None or Designation.objects.filter(lawyer=lawyer).count() >= 8:
            return
        rnd, now = self.random, clock.now()
        days = dt.timedelta(days=1)
        plans = [("pending", 2), ("working", 2), ("not_heard", 1), ("submit", 1), ("return", 1), ("accept", 2)]
        pool = list(Notice.objects.filter(status=Notice.Status.RECEIVED, agency__region__code__startswith="4117")
                    .exclude(category="duty_lawyer").select_related("case", "agency").order_by("received_at"))
        fits = {
            "pending": lambda n: n.received_at > now - 20 * days,
            "working": lambda n: n.received_at > now - 20 * days,
            "not_heard": lambda n: n.case.hearing_starts_at is None and now - 60 * days < n.received_at < now - 7 * days,
            "closing": lambda n: n.case.hearing_starts_at is not None
            and n.received_at + 4 * days < n.case.hearing_starts_at < now - 15 * days,
        }
        for plan, count in plans:
            wanted = fits.get(plan, fits["closing"])
            for notice in [n for n in pool if wanted(n)]:
                if count == 0:
                    break
                when = notice.received_at + dt.timedelta(hours=3)
                staff = User.objects.filter(agency=notice.agency, role=Role.AGENCY_STAFF).first() or User.objects.get(
                    username="admin")
                try:
                    designation = lawyer_designate(notice=notice, lawyer=lawyer, actor=staff, now=when,
                                                   reason="演示：指派给演示律师")
                except DomainError:
                    continue
                pool.remove(notice)
                count -= 1
                if plan == "pending":
                    continue
                designation_accept(designation=designation, actor=lawyer.user, now=when + dt.timedelta(hours=1))
                accepted = when + dt.timedelta(hours=1)
                if plan == "working":
                    self.work(designation, rnd, accepted, close=None, not_heard=False)
                elif plan == "not_heard":
                    self.work(designation, rnd, accepted, close=None, not_heard=True, opinion=False,
                              notified_at=max(accepted + 6 * days, now - 3 * days))
                else:
                    self.work(designation, rnd, accepted, close=plan, not_heard=False)

    def print_logins(self, logins):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, user, what in logins:
            self.stdout.write(f"  {username:<14} {what}")
        self.stdout.write("Court API demo keys (Authorization: Token <key>):")
        for code, raw in self.court_tokens.items():
            self.stdout.write(f"  {code:<8} {raw}")
