"""Through a real Varnish with our VCL: pages are kept, and each change purges exactly the
pages that show what changed, at once, while unrelated pages stay in the edge."""

import pytest
from django.utils import timezone

from comments.models import Status as CommentStatus
from comments.services import comment_set_status
from tests import factories

from .conftest import _get

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.edge]


def fetch(edge, path):
    status, headers, body = _get(edge + path)
    return status, headers.get("X-Cache"), body


@pytest.fixture
def newsroom(edge):
    author = factories.make_author()
    syria, economy, culture = (factories.make_section() for _ in range(3))
    now = timezone.now()

    def article(section, title, hours_ago):
        return factories.make_article(
            author=author,
            section=section,
            title=title,
            published_at=now - timezone.timedelta(hours=hours_ago),
        )

    ours = article(syria, "مقال يتغير", 5)
    # Between the two, so that neither is the other's previous or next article.
    article(culture, "مقال بينهما", 4)
    middle = article(culture, "مقال آخر بينهما", 3)
    other = article(economy, "مقال لا علاقة له", 2)
    return {"author": author, "syria": syria, "ours": ours, "middle": middle, "other": other}


def warm(edge, *paths):
    for path in paths:
        fetch(edge, path)
        assert fetch(edge, path)[1] == "HIT", path


def test_second_request_is_a_hit_and_cookies_do_not_split_the_cache(edge, newsroom):
    path = newsroom["ours"].get_absolute_url()
    status, cache, _body = fetch(edge, path)
    assert (status, cache) == (200, "MISS")
    status, headers, _body = _get(edge + path, {"Cookie": "sessionid=abc; csrftoken=xyz"})
    assert (status, headers["X-Cache"]) == (200, "HIT")
    assert "Set-Cookie" not in headers


def test_editing_an_article_refreshes_its_page_and_lists_not_an_unrelated_article(edge, newsroom):
    ours, other = newsroom["ours"], newsroom["other"]
    warm(edge, ours.get_absolute_url(), other.get_absolute_url(), "/")
    ours.title = "عنوان جديد بعد التصحيح"
    ours.save()
    status, cache, body = fetch(edge, ours.get_absolute_url())
    assert (status, cache) == (200, "MISS") and "عنوان جديد بعد التصحيح" in body
    status, cache, body = fetch(edge, "/")
    assert cache == "MISS" and "عنوان جديد بعد التصحيح" in body  # the home page shows it
    assert fetch(edge, other.get_absolute_url())[1] == "HIT"


def test_approving_a_comment_refreshes_only_its_article(edge, newsroom):
    ours, other = newsroom["ours"], newsroom["other"]
    comment = factories.make_comment(
        article=ours, status=CommentStatus.PENDING, text="تعليق ينتظر الموافقة"
    )
    warm(edge, ours.get_absolute_url(), other.get_absolute_url(), "/")
    comment_set_status(comment=comment, status=CommentStatus.APPROVED)
    status, cache, body = fetch(edge, ours.get_absolute_url())
    assert cache == "MISS" and "تعليق ينتظر الموافقة" in body
    assert fetch(edge, other.get_absolute_url())[1] == "HIT"
    assert fetch(edge, "/")[1] == "HIT"  # a comment changes no list


def test_publishing_a_new_article_refreshes_its_lists_not_an_unrelated_article(edge, newsroom):
    # The newest article ("other") gains a "next article" link: it is purged too. An article
    # of another section that is not its neighbour is not.
    other, syria = newsroom["middle"], newsroom["syria"]
    section_url = syria.get_absolute_url()
    warm(edge, "/", section_url, other.get_absolute_url(), "/feeds/")
    factories.make_article(
        author=newsroom["author"],
        section=syria,
        title="خبر عاجل جديد",
        published_at=timezone.now(),
    )
    for path in ("/", section_url, "/feeds/"):
        status, cache, body = fetch(edge, path)
        assert cache == "MISS" and "خبر عاجل جديد" in body, path
    assert fetch(edge, other.get_absolute_url())[1] == "HIT"


def test_reader_endpoint_admin_and_personal_pages_are_never_kept(edge, newsroom):
    ours = newsroom["ours"]
    for path in ("/comments/reader/", "/accounts/login/", f"{ours.get_absolute_url()}?c=1"):
        fetch(edge, path)
        assert fetch(edge, path)[1] != "HIT", path


def test_only_localhost_may_purge_and_a_purge_needs_keys(edge):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(edge + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
