"""Active content in uploaded files. A PDF can carry JavaScript (run by many readers when the file is
opened: /OpenAction, /AA), launch programs (/Launch), hide other files (/EmbeddedFile), play Flash
(/RichMedia), submit forms to the network (/SubmitForm) or hold an XFA form; and a file that is a PDF
to a reader may be a web page to a browser (a PDF/HTML polyglot). None of these has a place in a court
document or a lawyer's work file, so such files are refused with the reason, and the sender can print
the document to a plain PDF.

The check reads the file's own bytes — names written with #xx escapes (`/J#61vaScript`) are decoded —
and the compressed object streams where PDF 1.5+ keeps its dictionaries (inflated with a bound, so a
compression bomb cannot exhaust memory)."""
import re
import zlib

from django.utils.translation import gettext_lazy as _

# Name → what the user is told it is.
ACTIVE_NAMES = {
    "JavaScript": _("JavaScript"),
    "JS": _("JavaScript"),
    "Launch": _("an action that launches a program"),
    "EmbeddedFile": _("an embedded file"),
    "EmbeddedFiles": _("an embedded file"),
    "GoToE": _("an action that opens an embedded file"),
    "RichMedia": _("rich media (Flash or video)"),
    "XFA": _("an XFA form"),
    "AA": _("actions run when the document or a page is opened or closed"),
    "SubmitForm": _("a form that sends data over the network"),
    "ImportData": _("an action that imports data"),
}
# Markers of a web page: a browser that renders the file as HTML would run it.
HTML_MARKERS = re.compile(rb"<\s*(?:script|html|body|iframe|object|embed|svg\s|meta\s|!doctype\s+html)\b|"
                          rb"javascript\s*:", re.IGNORECASE)
_NAME = re.compile(rb"/([A-Za-z0-9#]{2,40})")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb">>\s*stream\r?\n")
MAX_INFLATED = 64 * 1024 * 1024  # in all, over every object stream of one file


def _names(data: bytes) -> set:
    return {_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")
            for match in _NAME.finditer(data)}


def _object_streams(data: bytes):
    """The inflated content of each FlateDecode object stream (/Type /ObjStm), within MAX_INFLATED."""
    budget = MAX_INFLATED
    for match in _STREAM.finditer(data):
        # The stream's dictionary: back to the start of its object (`N 0 obj`), at most 2 KiB.
        window = max(0, match.start() - 2048)
        begins = data.rfind(b"obj", window, match.start())
        names = _names(data[begins if begins >= 0 else window:match.start()])
        if "ObjStm" not in names or "FlateDecode" not in names:
            continue
        start = match.end()
        end = data.find(b"endstream", start)
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(data[start:end if end > 0 else None], budget)
        except zlib.error:
            continue
        budget -= len(content)
        yield content
        if budget <= 0:
            return


def active_content(data: bytes, *, is_pdf: bool) -> list:
    """What active content `data` holds, as phrases for the user (empty when none)."""
    found = []
    if is_pdf:
        names = _names(data)
        for content in _object_streams(data):
            names |= _names(content)
        found = list(dict.fromkeys(str(label) for name, label in ACTIVE_NAMES.items() if name in names))
    if HTML_MARKERS.search(data):
        found.append(str(_("HTML (the file is also a web page)")))
    return found
