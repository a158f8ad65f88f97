"""The channels a delivery goes out by. Each exposes `send(delivery) -> Outcome` and raises SendError
when the attempt failed; `permanent` says that trying again cannot help."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    target: str  # where it went, as the delivery log shows it
    status_code: int | None = None


class SendError(Exception):
    def __init__(self, message, *, target: str = "", status_code: int | None = None, permanent: bool = False):
        super().__init__(str(message))
        self.message = str(message)
        self.target = target
        self.status_code = status_code
        self.permanent = permanent


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"


def mask_email(address: str) -> str:
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def absolute(link: str) -> str:
    from notifications import conf

    if not link or "://" in link:
        return link
    return conf.get("SITE_URL").rstrip("/") + "/" + link.lstrip("/")
