"""A reader follows an old WordPress link and lands on the imported article with its comments."""

from urllib.parse import unquote

from articles.models import Article
from tests.wordpress.conftest import run_import

OLD_PERMALINK = "/2025/02/13/%d8%b3%d9%88%d9%82-%d8%a7%d9%84%d8%ad%d8%b1%d9%81-%d8%ad%d9%84%d8%a8/"
TITLE = "افتتاح سوق الحرف اليدوية في حلب القديمة"


def test_an_old_permalink_lands_on_the_imported_article_with_its_comments(page, live_server):
    run_import()
    article = Article.objects.get(title=TITLE)

    statuses = []
    page.on("response", lambda response: statuses.append(response.status))
    response = page.goto(OLD_PERMALINK)

    assert statuses[0] == 301
    assert response.status == 200
    assert unquote(page.url).endswith(unquote(article.get_absolute_url()))
    assert page.locator("h1").inner_text().strip() == TITLE
    # The featured image and its credit came along.
    assert "مواقع التواصل الاجتماعي" in page.locator(".article .featured").inner_text()
    # The approved comments, the reply shown under the comment it answers; the held one not.
    first = page.locator("li.comment.depth-1", has_text="خبر جميل، أتمنى أن تعود الحياة")
    assert first.is_visible()
    reply = first.locator("ol.children li.comment", has_text="أوافقك الرأي")
    assert reply.is_visible()
    assert reply.locator(".comment-author").inner_text() == "ليلى"
    body = page.locator("body").inner_text()
    assert "تعليق ينتظر الموافقة" not in body
    assert "@example" not in body
