"""Text as people mean it. A name or a place made only of invisible characters — zero-width spaces
(U+200B), byte-order marks (U+FEFF), ideographic spaces (U+3000), direction marks — looks empty on
every page and defeats the duplicate checks that compare names: such characters are dropped from the
ends, and format/control characters from anywhere (no name or case number needs one)."""
import unicodedata


def _invisible(char: str) -> bool:
    # Z*: separators (spaces of every width); C*: control, format (zero-width, BOM, bidi), unassigned.
    return unicodedata.category(char)[0] in "ZC"


def visible_text(value: str) -> str:
    """`value` without format or control characters, and without invisible characters at its ends;
    "" when nothing visible is left."""
    kept = "".join(c for c in value if unicodedata.category(c) not in ("Cf", "Cc") or c in "\n\t")
    start, end = 0, len(kept)
    while start < end and _invisible(kept[start]):
        start += 1
    while end > start and _invisible(kept[end - 1]):
        end -= 1
    return kept[start:end]
