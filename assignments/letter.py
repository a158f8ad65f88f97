"""The legal aid letter to the court (法律援助公函, M 5): the designated lawyer's name, firm and
contact, the case and the defendant, as a PDF set in a CJK font.

WeasyPrint draws Chinese only with a font that has it. The font is found in this order: the file
named by settings.LETTER_CJK_FONT; a system font with Simplified Chinese (fontconfig: Debian's
fonts-noto-cjk); the Noto Sans CJK that the PyPI package `manimgx-fonts-cjk` ships. With none of
them the letter is refused with a message that says what to install, never drawn as empty boxes."""
import functools
import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from legalaid.errors import DomainError

PREFERRED_FAMILIES = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Source Han Sans SC",
                      "WenQuanYi Micro Hei")
LETTER_LANGUAGE = "zh-hans"  # a letter to a Chinese court is in Chinese, whoever downloads it
CACHE_SECONDS = 24 * 3600
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines are noise in our logs


class LetterFontMissing(DomainError):
    status = 503
    code = "letter_font_missing"
    default_message = _("No font with Chinese characters is installed, so the letter cannot be drawn. Install "
                        "Debian's fonts-noto-cjk, or `pip install manimgx-fonts-cjk`, or set LETTER_CJK_FONT to "
                        "a CJK font file.")


def _system_families() -> list:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()})


def _package_font() -> str | None:
    try:
        import manimgx_fonts_cjk
    except ImportError:
        return None
    path = Path(manimgx_fonts_cjk.__file__).with_name("NotoSansCJK-VF.otf.ttc")
    return str(path) if path.exists() else None


@functools.lru_cache(maxsize=1)
def cjk_font() -> dict:
    """{"family": CSS family, "face": @font-face rule or ""}; raises LetterFontMissing."""
    explicit = getattr(settings, "LETTER_CJK_FONT", "")
    if explicit and Path(explicit).exists():
        return {"family": "LetterCJK", "face": f"@font-face {{ font-family: LetterCJK; src: url('file://{explicit}'); }}"}
    families = _system_families()
    for wanted in PREFERRED_FAMILIES:
        if wanted in families:
            return {"family": f'"{wanted}"', "face": ""}
    if families:
        return {"family": f'"{families[0]}"', "face": ""}
    packaged = _package_font()
    if packaged:
        return {"family": "LetterCJK", "face": f"@font-face {{ font-family: LetterCJK; src: url('file://{packaged}'); }}"}
    raise LetterFontMissing()


def render_letter(designation) -> bytes:
    """The letter as PDF bytes, drawn from what the designation froze when it was made."""
    # Keyed by what the letter says, not only by ids: ids come again after a database is restored or
    # rebuilt while the cache lives on, and one defendant's letter must never be served for another's.
    content = hashlib.sha256(json.dumps([designation.letter_number, designation.letter], sort_keys=True,
                                        ensure_ascii=False, default=str).encode()).hexdigest()[:32]
    key = f"assignments:letter:{designation.pk}:{content}"
    cached = cache.get(key)
    if cached:
        return cached
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font = cjk_font()
    letter = designation.letter
    with translation.override(LETTER_LANGUAGE):
        html = render_to_string("assignments/letter.html", {
            "letter": letter, "number": designation.letter_number, "font": font,
            "is_duty": letter.get("kind") == "duty", "charges": "、".join(letter.get("charges", [])),
        })
    fonts = FontConfiguration()
    stylesheets = [CSS(string=font["face"], font_config=fonts)] if font["face"] else []
    pdf = HTML(string=html).write_pdf(stylesheets=stylesheets, font_config=fonts)
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf
