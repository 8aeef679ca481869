"""The purge interface: which keys each change purges, after the commit, through each
backend (Varnish, a CDN-style purge URL, none)."""

import http.server
import json
import threading

import pytest
from django.utils import timezone

from comments.models import ModerationSettings
from comments.models import Status as CommentStatus
from comments.services import comment_set_status
from edge import purge as edge_purge
from tests import factories

pytestmark = pytest.mark.django_db


def run(callbacks, action):
    with callbacks(execute=True):
        action()


def test_nothing_is_purged_before_the_commit(article, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        article.title = "عنوان آخر"
        article.save()
    assert purged == []
    for callback in pending:
        callback()
    assert purged and f"article-{article.pk}" in set().union(*purged)


def test_editing_the_text_purges_the_article_not_its_lists(
    article, purged, django_capture_on_commit_callbacks
):
    def edit():
        article.title = "عنوان مصحح"
        article.save()

    run(django_capture_on_commit_callbacks, edit)
    keys = set().union(*purged)
    assert f"article-{article.pk}" in keys
    assert "list-home" not in keys and f"list-section-{article.section_id}" not in keys


def test_publishing_purges_its_lists_and_neighbours(
    author, section, purged, django_capture_on_commit_callbacks
):
    older = factories.make_article(author=author, section=section)
    purged.clear()
    draft = factories.make_article(author=author, section=section, status="draft")
    draft.tags.add("حلب")
    tag = draft.tags.first()
    purged.clear()

    def publish():
        draft.status = "published"
        draft.published_at = timezone.now()
        draft.save()

    run(django_capture_on_commit_callbacks, publish)
    keys = set().union(*purged)
    for key in (
        "list-home",
        "list-latest",
        "list-feed",
        f"list-section-{section.pk}",
        f"list-kind-{draft.kind}",
        f"list-author-{author.pk}",
        f"list-tag-{tag.pk}",
        f"neighbours-{older.pk}",
    ):
        assert key in keys, key


def test_a_pending_comment_purges_nothing_an_approval_purges_its_article(
    article, purged, django_capture_on_commit_callbacks
):
    run(
        django_capture_on_commit_callbacks,
        lambda: factories.make_comment(article=article, status=CommentStatus.PENDING),
    )
    assert purged == []
    from comments.models import Comment

    comment = Comment.objects.get()
    run(
        django_capture_on_commit_callbacks,
        lambda: comment_set_status(comment=comment, status=CommentStatus.APPROVED),
    )
    assert set().union(*purged) == {f"comments-{article.pk}"}


def test_rules_tags_sections_site_and_authors_purge_their_keys(
    article, purged, django_capture_on_commit_callbacks
):
    def changes():
        rules = ModerationSettings.load()
        rules.close_after_days = 3
        rules.save()
        article.section.name = "سوريا اليوم"
        article.section.save()
        factories.make_site_settings(site_name="ليفانت")
        article.author.display_name = "اسم جديد"
        article.author.save()

    run(django_capture_on_commit_callbacks, changes)
    keys = set().union(*purged)
    for key in (
        "comments-rules",
        f"section-{article.section_id}",
        "site",
        f"author-{article.author_id}",
    ):
        assert key in keys, key


def test_a_reader_signing_in_purges_nothing(purged, django_capture_on_commit_callbacks):
    reader = factories.make_reader()
    purged.clear()
    run(
        django_capture_on_commit_callbacks,
        lambda: (setattr(reader, "last_login", timezone.now()), reader.save()),
    )
    assert purged == []


# --- backends, against a local HTTP receiver -----------------------------------------------


@pytest.fixture
def receiver():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append(
                {
                    "method": self.command,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": self.rfile.read(length),
                }
            )
            self.send_response(200)
            self.end_headers()

        do_PURGE = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", received
    server.shutdown()


def test_varnish_backend_sends_the_keys_in_one_purge_request(receiver, settings):
    url, received = receiver
    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = [url]
    edge_purge.send({"article-1", "list-home"})
    assert received[0]["method"] == "PURGE"
    assert received[0]["headers"]["xkey-purge"] == "article-1 list-home"


def test_url_backend_posts_json_with_the_token(receiver, settings):
    url, received = receiver
    settings.EDGE_PURGE_BACKEND = "url"
    settings.EDGE_PURGE_URLS = [url]
    settings.EDGE_PURGE_TOKEN = "secret-token"
    edge_purge.send({"comments-4"})
    assert received[0]["method"] == "POST"
    assert received[0]["headers"]["authorization"] == "Bearer secret-token"
    assert json.loads(received[0]["body"]) == {"surrogate_keys": ["comments-4"]}


def test_a_failing_edge_never_fails_the_save_and_the_purge_waits_to_be_retried(
    article, settings, transactional_db
):
    from core.models import OutboxMessage
    from edge.tasks import purge_keys

    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    article.title = "يُحفظ رغم تعطل الحافة"
    article.save()
    article.refresh_from_db()
    assert article.title == "يُحفظ رغم تعطل الحافة"
    waiting = OutboxMessage.objects.filter(task_name=purge_keys.name)
    assert waiting.exists()  # kept for the next drain


def test_the_purge_task_sends_the_keys(settings, monkeypatch):
    from edge.tasks import purge_keys

    sent = []
    monkeypatch.setattr(edge_purge, "send", lambda keys: sent.append(list(keys)))
    purge_keys.apply(args=[["article-1", "list-home"]]).get()
    assert sent == [["article-1", "list-home"]]


def test_without_an_edge_nothing_is_queued(article, settings, django_capture_on_commit_callbacks):
    from core.models import OutboxMessage

    settings.EDGE_PURGE_BACKEND = "none"
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "بلا حافة"
        article.save()
    assert not OutboxMessage.objects.filter(task_name="edge.tasks.purge_keys").exists()


def test_none_backend_sends_nothing(settings):
    settings.EDGE_PURGE_BACKEND = "none"
    edge_purge.send({"article-1"})  # no error, no network


def test_purge_urls_must_be_http():
    with pytest.raises(ValueError):
        edge_purge.VarnishPurge(urls=["file:///etc/passwd"])
