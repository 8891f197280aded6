import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def other_editor(db):
    """A second editor, Bob, in a browser of his own (English admin)."""
    user = get_user_model().objects.create_superuser(
        "bob", "bob@example.org", "pw", first_name="Bob", last_name="Baker"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
