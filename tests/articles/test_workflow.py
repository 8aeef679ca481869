"""The one workflow rule (services.article_allowed_actions): what it allows, that the services
refuse everything else, that the admin shows exactly its buttons, History in words, and what
the author hears (mail, badge)."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Status
from articles.services import Action
from tests import factories
from tests.articles.test_admin import change_url, draft_of, form_data

pytestmark = pytest.mark.django_db

BUTTONS = {
    "_submit_review": Action.SUBMIT,
    "_publish": Action.PUBLISH,
    "_unpublish": Action.UNPUBLISH,
    "_send_back": Action.SEND_BACK,
}


@pytest.fixture
def journalist(db):
    return factories.make_staff(
        role="journalist", username="layla", display_name="ليلى", email="layla@levant24.example"
    )


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", username="rana", display_name="رنا")


def article_in(state, author):
    """An article of ``author`` in one of the five places of the workflow."""
    if state == "draft":
        return draft_of(author)
    if state == "sent_back":
        return draft_of(author, review_note="أضف مصدراً")
    if state == "review":
        return factories.make_article(author=author, status=Status.REVIEW, published_at=None)
    if state == "scheduled":
        return factories.make_article(
            author=author, published_at=timezone.now() + timedelta(days=1)
        )
    return factories.make_article(author=author)


STATES = ("draft", "sent_back", "review", "scheduled", "published")
# role -> state -> allowed steps on the journalist's own article.
EXPECTED = {
    "journalist": {
        "draft": {Action.SUBMIT},
        "sent_back": {Action.SUBMIT},
        "review": set(),
        "scheduled": set(),
        "published": set(),
    },
    "editor": {
        "draft": {Action.SUBMIT, Action.PUBLISH},
        "sent_back": {Action.SUBMIT, Action.PUBLISH},
        "review": {Action.PUBLISH, Action.SEND_BACK},
        "scheduled": {Action.PUBLISH, Action.UNPUBLISH},
        "published": {Action.UNPUBLISH},
    },
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_allowed_actions_per_role_and_state(role, state, journalist, editor):
    user = {"journalist": journalist, "editor": editor}[role]
    article = article_in(state, journalist)
    assert services.article_allowed_actions(article=article, user=user) == EXPECTED[role][state]


def test_nothing_is_allowed_on_a_colleagues_draft_or_to_a_moderator(journalist):
    colleague = factories.make_staff(role="journalist", username="omar")
    moderator = factories.make_staff(role="moderator", username="sami")
    article = draft_of(colleague)
    assert services.article_allowed_actions(article=article, user=journalist) == set()
    assert services.article_allowed_actions(article=article, user=moderator) == set()


def test_a_new_article_may_be_submitted_by_a_journalist_and_published_by_an_editor(
    journalist, editor
):
    new = Article()
    assert services.article_allowed_actions(article=new, user=journalist) == {Action.SUBMIT}
    assert services.article_allowed_actions(article=new, user=editor) == {
        Action.SUBMIT,
        Action.PUBLISH,
    }


def _run(action, article, user):
    if action == Action.SUBMIT:
        services.article_submit_for_review(article=article, by=user)
    elif action == Action.PUBLISH:
        services.article_publish(article=article, by=user)
    elif action == Action.UNPUBLISH:
        services.article_unpublish(article=article, by=user)
    else:
        services.article_send_back(article=article, by=user, note="ملاحظة")


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_services_do_exactly_what_the_rule_allows(role, state, action, journalist, editor):
    user = {"journalist": journalist, "editor": editor}[role]
    article = article_in(state, journalist)
    allowed = action in services.article_allowed_actions(article=article, user=user)
    before = (article.status, article.published_at)
    if allowed:
        _run(action, article, user)
        article.refresh_from_db()
        assert (article.status, article.published_at) != before
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            _run(action, article, user)
        article.refresh_from_db()
        assert (article.status, article.published_at) == before


def buttons_on(html) -> set:
    names = re.findall(r'type="submit"[^>]* name="(_\w+)"', html)
    return {BUTTONS[name] for name in names if name in BUTTONS}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_change_form_shows_exactly_the_buttons_the_rule_allows(
    client, role, state, journalist, editor
):
    user = {"journalist": journalist, "editor": editor}[role]
    article = article_in(state, journalist)
    client.force_login(user)
    response = client.get(change_url(article))
    assert response.status_code == 200
    allowed = services.article_allowed_actions(article=article, user=user)
    assert buttons_on(response.content.decode()) == allowed


def test_a_button_the_rule_forbids_never_appears(client, editor, journalist, monkeypatch):
    """The admin asks the service: when the service forbids everything, no button shows."""
    article = article_in("review", journalist)
    client.force_login(editor)
    assert buttons_on(client.get(change_url(article)).content.decode())
    monkeypatch.setattr(services, "article_allowed_actions", lambda **kwargs: frozenset())
    html = client.get(change_url(article)).content.decode()
    assert buttons_on(html) == set()
    add_html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert buttons_on(add_html) == set()


def test_the_form_refuses_a_step_the_rule_forbids(client, editor, journalist, monkeypatch):
    article = article_in("review", journalist)
    client.force_login(editor)
    data = form_data(client, article, _publish="1")
    monkeypatch.setattr(
        services,
        "article_allowed_actions",
        lambda **kwargs: frozenset({Action.SEND_BACK}),
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "لا ينطبق هذا الإجراء" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.REVIEW


# ----- History in words --------------------------------------------------------------


def history_of(client, article):
    url = reverse("admin:articles_article_history", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_history_names_each_workflow_step_in_arabic(client, journalist, editor):
    article = draft_of(journalist)
    client.force_login(journalist)
    client.post(change_url(article), form_data(client, article, _submit_review="1"))
    client.force_login(editor)
    data = form_data(client, article, _send_back="1", review_note="اختصر المقدمة")
    client.post(change_url(article), data)
    client.force_login(journalist)
    client.post(change_url(article), form_data(client, article, _submit_review="1"))
    client.force_login(editor)
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    data = form_data(
        client,
        article,
        _publish="1",
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1=later.strftime("%H:%M"),
    )
    client.post(change_url(article), data)
    client.post(change_url(article), form_data(client, article, _publish="1"))
    article.refresh_from_db()
    assert article.is_public
    html = history_of(client, article)
    for words in ("أُرسل للمراجعة", "أعيد إلى الكاتب: اختصر المقدمة", "جُدول", "نُشر"):
        assert words in html
    assert "لم يتم تغيير أية حقول" not in html
    messages = list(
        LogEntry.objects.filter(object_id=str(article.pk))
        .order_by("action_time", "pk")
        .values_list("change_message", flat=True)
    )
    assert messages[:2] == ["أُرسل للمراجعة", "أعيد إلى الكاتب: اختصر المقدمة"]
    assert "نُشر" in messages


def test_list_action_steps_are_in_history_too(client, editor, journalist):
    article = article_in("review", journalist)
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    assert "نُشر" in history_of(client, article)


# ----- my articles: read-only once submitted, mail and badge -----------------------------


@pytest.mark.parametrize("state", ["review", "scheduled", "published"])
def test_journalist_opens_submitted_work_read_only(client, journalist, state):
    article = article_in(state, journalist)
    client.force_login(journalist)
    response = client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert article.title in html
    assert 'name="title"' not in html  # no input: a read-only page
    assert buttons_on(html) == set()
    response = client.post(
        change_url(article), {"title": "تعديل بعد الإرسال", "section": article.section_id}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "تعديل بعد الإرسال"


def test_status_filter_of_my_articles_finds_articles_in_every_state(client, journalist):
    articles = {state: article_in(state, journalist) for state in STATES}
    client.force_login(journalist)
    for state in STATES:
        response = client.get(reverse("admin:articles_article_changelist"), {"status": state})
        assert articles[state] in response.context["cl"].result_list


def test_sending_back_mails_the_author_and_shows_a_badge(
    client, editor, journalist, django_capture_on_commit_callbacks
):
    article = article_in("review", journalist)
    client.force_login(editor)
    data = form_data(client, article, _send_back="1", review_note="ينقص رأي الطرف الآخر")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(article), data)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["layla@levant24.example"]
    assert article.title in message.subject
    assert "أعيد" in message.subject
    assert "ينقص رأي الطرف الآخر" in message.body
    assert change_url(article) in message.body

    client.force_login(journalist)
    index = client.get(reverse("admin:index")).content.decode()
    assert "في مقال واحد من مقالاتك مستجدات من المحررين" in index
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "news-badge" in listing
    assert "ينقص رأي الطرف الآخر" in listing
    client.get(change_url(article))  # the author reads it: the badge goes
    index = client.get(reverse("admin:index")).content.decode()
    assert "مستجدات من المحررين" not in index


def test_publishing_mails_the_author(
    client, editor, journalist, django_capture_on_commit_callbacks
):
    article = article_in("review", journalist)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(article), form_data(client, article, _publish="1"))
    assert len(mail.outbox) == 1
    assert "نُشر مقالك" in mail.outbox[0].subject
    article.refresh_from_db()
    assert article.news_for_author


def test_no_mail_or_badge_when_editors_publish_their_own_article(
    editor, django_capture_on_commit_callbacks
):
    own = factories.make_article(author=editor, status=Status.REVIEW, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=own, by=editor)
    assert mail.outbox == []
    own.refresh_from_db()
    assert not own.news_for_author


def test_read_only_page_shows_the_body_as_html_and_the_preview_opens(client, journalist):
    article = article_in("review", journalist)
    Article.objects.filter(pk=article.pk).update(body="<h2>عنوان فرعي</h2><p>فقرة أولى</p>")
    client.force_login(journalist)
    html = client.get(change_url(article)).content.decode()
    assert '<div class="article-body-readonly"><h2>عنوان فرعي</h2><p>فقرة أولى</p></div>' in html
    preview = client.get(reverse("articles:preview", args=[article.pk]))
    assert preview.status_code == 200
    colleague = factories.make_staff(role="journalist", username="omar")
    client.force_login(colleague)
    assert client.get(reverse("articles:preview", args=[article.pk])).status_code == 404
    assert client.get(change_url(article)).status_code == 302
