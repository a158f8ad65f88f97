"""Test data for the lawyer's work: a case designated to a lawyer some days ago (so that work can
be logged between then and now), request helpers, and files of each kind."""
import datetime as dt
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.tests import factories as f
from legalaid import clock

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 64


def docx_bytes(*, with_document=True) -> bytes:
    """A Word file as Word writes it (a zip with [Content_Types].xml and word/document.xml), or a
    zip that only pretends to be one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        if with_document:
            archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        else:
            archive.writestr("payload.bin", "not a document")
    return buffer.getvalue()


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None}}}
    return tmp_path


def designated_case(world, *, lawyer=None, days_ago=10, accept=True, **notice_kwargs):
    """A notice received and designated `days_ago` days ago (accepted an hour later, unless not)."""
    from assignments.services import designation_accept

    lawyer = lawyer or f.lawyer(world, account=True)
    start = clock.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    with time_machine.travel(start, tick=False):
        notice = f.notice(world, **notice_kwargs)
        designation = f.designate(world, notice, lawyer, reason="测试指派")
    if accept:
        designation_accept(designation=designation, actor=lawyer.user, now=start + dt.timedelta(hours=1))
    notice.refresh_from_db()
    designation.refresh_from_db()
    return SimpleNamespace(notice=notice, lawyer=lawyer, designation=designation, user=lawyer.user, start=start)


def at(case, hours=0, days=0) -> dt.datetime:
    return case.start + dt.timedelta(days=days, hours=hours)


def iso(moment) -> str:
    return clock.to_beijing(moment).isoformat()


def post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}, ensure_ascii=False, default=str),
                       content_type="application/json", **headers)


def log(client, notice, kind, **body):
    return post(client, f"/api/v1/notices/{notice.pk}/work/", {"kind": kind, **body})


def log_files(client, notice, kind, files, **fields):
    """A multipart entry: files are (name, bytes) pairs."""
    data = {"kind": kind, **fields, "files": [SimpleUploadedFile(name, content) for name, content in files]}
    return client.post(f"/api/v1/notices/{notice.pk}/work/", data, format="multipart")


MEETING = {"place": "驻马店市看守所", "mode": "in_person", "duration_minutes": 60,
           "notes": "被告人陈述案发经过，对指控无异议，要求从轻处罚。"}
FILE_REVIEW = {"duration_minutes": 120, "subject": "起诉书、讯问笔录、证人证言", "copied": "全部证据材料",
               "notes": "证据链存在瑕疵：监控录像未随案移送。"}


def codes(response):
    return {e["code"] for e in response.json()["errors"]}


def fields(response):
    return {e["field"] for e in response.json()["errors"]}
