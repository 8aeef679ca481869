"""The breaking strip (عاجل): which line is shown, its small shared endpoint, its purges and
who may set it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import BreakingLine, Status
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("articles:breaking_json")


def line_shown():
    return Client().get(URL).json()["line"]


def test_an_expired_line_is_never_shown():
    factories.make_breaking_line(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert BreakingLine.objects.current().count() == 0
    assert line_shown() is None


def test_only_the_newest_current_line_is_shown():
    older = factories.make_breaking_line(text="الخبر الأقدم")
    older.created_at = timezone.now() - timezone.timedelta(minutes=5)
    older.save()
    newest = factories.make_breaking_line(text="الخبر الأحدث")
    expired = factories.make_breaking_line(text="خبر انتهى", minutes=-1)
    assert list(BreakingLine.objects.current()) == [newest, older]
    assert line_shown() == {"id": newest.pk, "text": "الخبر الأحدث", "url": ""}
    assert expired.pk not in BreakingLine.objects.current().values_list("pk", flat=True)


def test_a_new_line_must_expire_in_the_future():
    line = BreakingLine(text="خبر", expires_at=timezone.now() - timezone.timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "expires_at" in error.value.message_dict


def test_the_link_is_given_only_while_the_article_is_public(article):
    draft = factories.make_article(status=Status.DRAFT, section=article.section)
    line = factories.make_breaking_line(article=draft)
    assert line_shown()["url"] == ""
    line.article = article
    line.save()
    assert line_shown()["url"] == article.get_absolute_url()


def test_endpoint_is_shared_briefly_with_its_own_key(article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    factories.make_breaking_line(article=article)
    response = Client().get(URL)
    control = response["Cache-Control"]
    assert control.startswith("public, max-age=30, s-maxage=30,"), control
    keys = response["Surrogate-Key"].split()
    assert "breaking" in keys and f"article-{article.pk}" in keys
    assert response["xkey"] == response["Surrogate-Key"]
    assert not response.cookies
    signed_in = Client()
    signed_in.force_login(factories.make_reader(display_name="ريم"))
    assert signed_in.get(URL).content == response.content


def test_endpoint_is_not_kept_past_the_expiry():
    factories.make_breaking_line(expires_at=timezone.now() + timezone.timedelta(seconds=8))
    control = Client().get(URL)["Cache-Control"]
    assert 1 <= int(re.search(r"s-maxage=(\d+)", control).group(1)) <= 8


def test_saving_and_deleting_a_line_purge_its_key_after_commit(
    purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        line = factories.make_breaking_line()
    assert purged == []
    for callback in pending:
        callback()
    assert purged == [{"breaking"}]
    with django_capture_on_commit_callbacks(execute=True):
        line.delete()
    assert purged[-1] == {"breaking"}


def test_an_editor_adds_a_line_from_the_admin_and_is_recorded_as_its_author(article):
    editor = factories.make_staff(role="editor", username="boss")
    client = Client()
    client.force_login(editor)
    expires = timezone.localtime() + timezone.timedelta(hours=1)
    response = client.post(
        reverse("admin:articles_breakingline_add"),
        {
            "text": "عاجل: افتتاح معبر حدودي",
            "article": article.pk,
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BreakingLine.objects.get()
    assert line.created_by == editor and line.article == article


def test_a_journalist_cannot_manage_breaking_lines():
    client = Client()
    client.force_login(factories.make_staff(role="journalist", username="writer"))
    assert client.get(reverse("admin:articles_breakingline_add")).status_code == 403
    assert client.get(reverse("admin:articles_breakingline_changelist")).status_code == 403


def test_every_page_carries_the_strip_slot_and_template(article):
    html = Client().get("/").content.decode()
    assert f'data-breaking="{URL}"' in html
    assert 'id="breaking-template"' in html


def test_admin_list_marks_the_line_on_the_site_in_one_query(django_assert_max_num_queries):
    factories.make_breaking_line(text="خبر أقدم", minutes=30).__class__.objects.update(
        created_at=timezone.now() - timezone.timedelta(minutes=10)
    )
    factories.make_breaking_line(text="خبر أحدث")
    factories.make_breaking_line(text="خبر منته", minutes=-5)
    client = Client()
    client.force_login(factories.make_staff(role="editor", username="boss"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("admin:articles_breakingline_changelist")).content.decode()
    assert html.count("icon-yes.svg") == 1
