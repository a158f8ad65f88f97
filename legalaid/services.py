"""Writes on the pieces every app shares."""
from legalaid.models import PersonalDataAccess


def personal_data_access_record(*, user, defendant, field: str, channel: str) -> PersonalDataAccess:
    """Log that `user` saw `defendant`'s unmasked `field` (e.g. "id_number") through `channel`
    ("page" / "api"). Called before the value is shown, so that no view of it goes unrecorded."""
    return PersonalDataAccess.objects.create(user=user, defendant=defendant, field=field, channel=channel)
