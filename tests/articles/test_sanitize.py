"""Article bodies are cleaned on output too: a body written past the model (loaddata, raw SQL)
is never shown as it was stored."""

import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from articles.sanitize import safe_html
from tests import factories

pytestmark = pytest.mark.django_db

EVIL = (
    '<p>نص سليم</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">رابط</a><iframe src="https://evil.example/"></iframe>'
)


def assert_inert(html):
    for needle in ("<script", "onerror", "javascript:", "<iframe"):
        assert needle not in html, needle


def test_body_written_by_raw_sql_is_cleaned_on_the_page(client, article):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Article._meta.db_table} SET body = %s WHERE id = %s", [EVIL, article.pk]
        )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert "نص سليم" in body
    assert_inert(body)


def test_body_loaded_by_loaddata_is_cleaned_on_the_page(client, tmp_path, author, section):
    article = factories.make_article(author=author, section=section)
    fixture = tmp_path / "evil.json"
    records = json.loads(serializers.serialize("json", [article]))
    records[0]["fields"]["body"] = EVIL
    fixture.write_text(json.dumps(records))
    call_command("loaddata", str(fixture), verbosity=0)
    assert Article.objects.get(pk=article.pk).body == EVIL  # stored raw, as loaddata does
    html = client.get(article.get_absolute_url()).content.decode()
    assert "نص سليم" in html
    body = html.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert_inert(body)


def test_clean_body_comes_out_unchanged():
    body = '<h2>عنوان</h2><p><a href="https://levant24.example/" rel="noopener noreferrer">رابط</a></p>'
    assert safe_html(body) == body
