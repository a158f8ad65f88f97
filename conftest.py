"""Fixtures shared by every test: the region slice, agencies, courts, and users in each role
(owner / colleague / outsider), with API clients authenticated by token."""
import os

import pytest
from rest_framework.test import APIClient

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop beside live_server


@pytest.fixture
def world(db):
    from cases.tests.factories import build_world

    return build_world()


def token_client(user):
    from legalaid.models import ApiToken

    token = ApiToken(user=user, name="test")
    raw = ApiToken.new_key()
    token.set_key(raw)
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    client.raw_token = raw
    return client


@pytest.fixture
def court_client(world):
    """The API as 豫1702's court account."""
    return token_client(world.court_user)


@pytest.fixture
def other_court_client(world):
    """The API as 豫1721's court account: an outsider to 豫1702's notices."""
    return token_client(world.other_court_user)


@pytest.fixture
def staff_client(world):
    return token_client(world.staff)
