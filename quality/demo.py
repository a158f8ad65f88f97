"""Demo data for quality (called by `manage.py seed_demo`; idempotent): the city's settings, the
grades of cases with work logged, hearing observations and follow-ups on a few of them, training
records (some lawyers under the minimum), and one client's complaint."""
import datetime as dt

from django.db import transaction

from assignments.models import Designation, Lawyer
from cases.models import Region
from legalaid import clock
from legalaid.errors import DomainError
from legalaid.models import Role, User
from quality import services
from quality.models import CaseGrade, Complaint, Evaluation, QualitySettings, TrainingRecord

COURSES = ["刑事辩护实务与技巧", "认罪认罚从宽制度适用", "量刑规范化指导意见解读", "未成年人刑事案件辩护", "法律援助服务标准"]


def seed(stdout=None):
    def say(text):
        if stdout is not None:
            stdout.write(text)

    now = clock.now()
    city = Region.objects.filter(code="411700").first()
    if city is not None:
        QualitySettings.objects.get_or_create(region=city)  # the defaults, shown as the city's local rules
    staff = User.objects.filter(role=Role.AGENCY_STAFF, agency__isnull=False).order_by("pk").first()
    evaluator = User.objects.filter(role=Role.EVALUATOR).order_by("pk").first()
    worked = list(Designation.objects.filter(work_entries__isnull=False).distinct()
                  .select_related("notice").order_by("designated_at", "pk")[:60])
    graded = 0
    for designation in worked:
        if not CaseGrade.objects.filter(designation=designation).exists():
            services.case_grade_recompute(designation=designation, now=now)
            graded += 1
    if not Evaluation.objects.exclude(kind="court_feedback").exists():
        for i, designation in enumerate(worked[:12]):
            try:
                if evaluator is not None and i % 2 == 0:
                    services.evaluation_create(notice=designation.notice, kind="hearing_observation",
                                               score=70 + (i * 7) % 30, comments="庭审中发问有针对性，辩护意见完整。",
                                               actor=evaluator, now=now)
                elif staff is not None:
                    services.evaluation_create(notice=designation.notice, kind="client_follow_up", score=60 + i * 3,
                                               reached=i % 3 != 0, satisfaction=4 if i % 3 else None,
                                               comments="电话回访家属。", actor=staff, now=now)
            except DomainError:
                continue  # a notice outside the demo user's scope
    if staff is not None and not TrainingRecord.objects.exists():
        year = clock.beijing_date(now).year
        with transaction.atomic():
            for n, lawyer in enumerate(Lawyer.objects.filter(status=Lawyer.Status.ACTIVE).order_by("pk")[:20]):
                for k in range(n % 6):  # 0-5 sessions: some under the minimum of 4
                    services.training_record_add(lawyer=lawyer, course=COURSES[k % len(COURSES)],
                                                 held_on=dt.date(year, 1 + k * 2, 15), hours=3,
                                                 provider="驻马店市律师协会", actor=staff, now=now)
    if staff is not None and not Complaint.objects.exists():
        open_one = (Designation.objects.filter(status=Designation.Status.ACCEPTED, notice__agency=staff.agency)
                    .select_related("notice").order_by("pk").first())
        if open_one is not None:
            services.complaint_receive(notice=open_one.notice, complainant="被告人家属", relation="family",
                                       summary="律师接受指派后一周未会见被告人。", actor=staff, now=now)
    say(f"Quality: {CaseGrade.objects.count()} graded cases ({graded} new), {Evaluation.objects.count()} "
        f"evaluations, {TrainingRecord.objects.count()} training records.")
