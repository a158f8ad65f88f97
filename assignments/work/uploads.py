"""Files the lawyer attaches: checked like the court's documents (cases.services.check_upload: size
first, then the type from the content), and Word (.docx) besides, recognised as what it is inside —
a zip holding word/document.xml — never by its name."""
import hashlib
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from assignments.work.models import WorkDocument
from cases.services import check_upload
from legalaid.errors import UnsupportedMediaType

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED_LABEL = "PDF, JPEG, PNG, Word (.docx)"


def _is_docx(upload) -> bool:
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return "word/document.xml" in names and "[Content_Types].xml" in names


def check_work_upload(upload, *, max_bytes: int | None = None) -> str:
    """The content type of an acceptable file; 413 when too large, 415 for any other type."""
    max_bytes = max_bytes or settings.MAX_UPLOAD_BYTES
    try:
        return check_upload(upload, max_bytes=max_bytes, field="files")
    except UnsupportedMediaType:
        if _is_docx(upload):
            return DOCX
        raise UnsupportedMediaType(_("Only PDF, JPEG, PNG or Word (.docx) files are accepted; this file is not one."),
                                   field="files") from None


def work_document_store(*, notice, upload, content_type, actor, now, entry=None, closing=None,
                        kind=WorkDocument.Kind.ATTACHMENT) -> WorkDocument:
    """Save a checked file (inside the caller's transaction)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = WorkDocument(notice=notice, entry=entry, closing=closing, kind=kind,
                            original_name=(upload.name or "file")[:255], content_type=content_type,
                            size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=now)
    document.file.save(upload.name or "file", upload, save=False)
    document.save()
    return document
