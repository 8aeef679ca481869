import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_arabic_rtl_and_lists_published_article(client, article):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert article.title in html


def test_article_page_renders_and_wrong_slug_redirects(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()
    wrong = reverse("articles:detail", kwargs={"pk": article.pk, "slug": "قديم"})
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
