"""Shared pages carry no CSRF token: a reader whose browser runs no script still comments
and reports, and never loses what they typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def test_first_post_without_a_token_returns_the_form_as_typed_then_goes_through(article):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert not TOKEN.search(page)
    data = {"text": "رأيي في هذا المقال\nسطر ثانٍ", "name": "منى", "email": "mona@example.org"}
    refused = reader.post(reverse("comments:post", args=[article.pk]), data)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "لم يُرسل تعليقك بعد" in html
    assert "رأيي في هذا المقال\nسطر ثانٍ</textarea>" in html
    assert 'value="منى"' in html
    assert refused["Cache-Control"] == "private, no-store"
    assert Comment.objects.count() == 0
    token = TOKEN.search(html).group(1)
    accepted = reader.post(
        reverse("comments:post", args=[article.pk]), data | {"csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Comment.objects.get().name == "منى"


def test_a_forged_cross_site_post_stores_nothing(article):
    attacker = Client(enforce_csrf_checks=True)
    attacker.cookies["csrftoken"] = "a" * 32
    response = attacker.post(
        reverse("comments:post", args=[article.pk]),
        {
            "text": "نص مزروع",
            "name": "x",
            "email": "x@example.org",
            "csrfmiddlewaretoken": "a" * 32 + "b" * 32,
        },
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_report_without_a_token_asks_to_confirm(article):
    comment = factories.make_comment(article=article)
    reader = Client(enforce_csrf_checks=True)
    url = reverse("comments:report", args=[comment.pk])
    refused = reader.post(url)
    assert refused.status_code == 403
    token = TOKEN.search(refused.content.decode()).group(1)
    assert reader.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert comment.reports.count() == 1


def test_reply_without_javascript_gets_its_own_page_with_a_token(article):
    comment = factories.make_comment(article=article, name="سعاد")
    reader = Client(enforce_csrf_checks=True)
    response = reader.get(article.get_absolute_url(), {"replyto": comment.pk})
    html = response.content.decode()
    assert TOKEN.search(html)
    assert f'name="parent" value="{comment.pk}"' in html
    assert response["Cache-Control"] == "private, no-store"
