"""The editor's "notify subscribers" box: editors only, and publishing with it pushes once."""

import pytest
from django.test import Client

from articles.models import Status
from push.models import Notification, PushSubscription
from tests import factories
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def test_editors_see_the_notify_box_with_its_help_journalists_do_not(section):
    editor = factories.make_staff(role="editor", username="rana")
    journalist = factories.make_staff(role="journalist", username="layla")
    draft = factories.make_article(author=journalist, status=Status.DRAFT, section=section)
    client = Client()
    client.force_login(editor)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="notify"' in page
    assert "إشعار المشتركين" in page and "مرة واحدة" in page

    client.force_login(journalist)
    assert 'name="notify"' not in client.get(change_url(draft)).content.decode()
    # A crafted post cannot set it either.
    data = form_data(client, draft, notify="on")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.notify is False


def test_publishing_from_the_admin_with_notify_pushes_once(
    receiver, vapid, section, django_capture_on_commit_callbacks
):
    editor = factories.make_staff(role="editor", username="rana")
    draft = factories.make_article(author=editor, status=Status.DRAFT, section=section)
    browser = receiver.browser("follower")
    subscription = PushSubscription.objects.create(
        endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth, breaking=False
    )
    subscription.sections.set([section])
    client = Client()
    client.force_login(editor)
    data = form_data(client, draft, notify="on", _publish="1")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_public and draft.notify
    assert len(receiver.received) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(draft), form_data(client, draft, title="عنوان معدّل"))
    assert len(receiver.received) == 1
    assert Notification.objects.get(article=draft).sent == 1
