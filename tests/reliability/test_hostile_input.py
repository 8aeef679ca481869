"""Hostile input through every public form and the admin article form.

For each input: no 500, either a clear error or a clean save, nothing executable in the
page that shows it, and the stored text exactly what the rules say.
"""

import itertools
import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from accounts.validators import has_visible_letter
from articles.models import Article
from articles.sanitize import clean_html
from comments.models import Comment
from tests import factories

from . import attacks
from .conftest import next_ip
from .htmlcheck import assert_nothing_executable

pytestmark = pytest.mark.django_db

# The rule for reader text, written out here rather than imported: direction controls
# U+202A-U+202E and U+2066-U+2069 go, joiners U+200C/U+200D stay, the ends are trimmed,
# everything else is kept as typed.
BIDI = re.compile("[\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069]")
_emails = itertools.count(1)


def expected_comment_text(raw: str) -> str | None:
    """What a comment with this text is stored as, or None when it must be refused."""
    if "\x00" in raw:
        return None
    text = BIDI.sub("", raw).strip()
    return text if 2 <= len(text) <= 5000 else None


def expected_name(raw: str) -> str | None:
    if "\x00" in raw:
        return None
    name = BIDI.sub("", raw).strip()
    if not has_visible_letter(name):
        return None
    return name if 1 <= len(name) <= 100 else None


# Text a browser can send: any code point except lone surrogates (not encodable in UTF-8).
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
hostile_text = st.one_of(
    st.sampled_from(attacks.ALL),
    any_text,
    st.tuples(st.sampled_from(attacks.ALL), any_text, st.sampled_from(attacks.UNICODE)).map(
        "".join
    ),
)


def post_comment(client, article, *, text, name="قارئ من دمشق", website=""):
    email = f"hostile{next(_emails)}@example.org"
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"text": text, "name": name, "email": email, "website": website, "homepage": ""},
        REMOTE_ADDR=next_ip(),
    )
    return response, email


def check_comment_outcome(client, article, baseline, *, text, name="قارئ من دمشق", website=""):
    response, email = post_comment(client, article, text=text, name=name, website=website)
    assert response.status_code < 500
    stored = Comment.objects.filter(email=email)
    want_text, want_name = expected_comment_text(text), expected_name(name)
    if response.status_code == 302:
        comment = stored.get()
        assert want_text is not None and want_name is not None
        assert comment.text == want_text
        assert comment.name == want_name
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
        assert_nothing_executable(page, baseline=baseline)
    else:
        # Refused: the reason is on the page and the reader's text is still in the form.
        assert response.status_code == 400
        assert not stored.exists()
        content = response.content.decode()
        assert "field-error" in content or "form-errors" in content
        if "\x00" not in text and len(text) <= 5000:
            assert escape(text) in content  # as typed, to correct and send again
        assert_nothing_executable(response, baseline=baseline)
        assert want_text is None or want_name is None or website


# ----- comments ----------------------------------------------------------------------------


def for_each(payloads, check):
    """Run ``check`` on every payload; report every payload that fails, not just the first."""
    failures = []
    for i, payload in enumerate(payloads):
        try:
            check(payload)
        except AssertionError as error:
            failures.append(f"[{i}] {payload[:80]!r}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)


def test_comment_text_from_attack_corpus_is_refused_or_stored_inert(client, article, open_comments):
    baseline = client.get(article.get_absolute_url())
    for_each(attacks.ALL, lambda p: check_comment_outcome(client, article, baseline, text=p))


def test_comment_name_and_website_from_attack_corpus_are_inert(client, article, open_comments):
    baseline = client.get(article.get_absolute_url())

    def check(payload):
        check_comment_outcome(
            client,
            article,
            baseline,
            text="تعليق عادي على الخبر " + payload[:20],
            name=payload[:100],
        )
        response, _email = post_comment(
            client, article, text="تعليق آخر " + payload[:20], website=payload
        )
        assert response.status_code < 500
        assert not Comment.objects.filter(website__icontains="javascript").exists()

    for_each(attacks.XSS + attacks.UNICODE, check)


def test_comment_bidi_controls_are_stripped_and_joiners_kept(client, article, open_comments):
    text = "\u202eرأي\u202c \u2066مهم\u2069 لا\u200cإله\u200d 😀"
    response, email = post_comment(client, article, text=text)
    assert response.status_code == 302
    assert Comment.objects.get(email=email).text == "رأي مهم لا\u200cإله\u200d 😀"


def test_comment_with_nul_byte_is_refused_with_a_message(client, article, open_comments):
    response, email = post_comment(client, article, text="نص\x00مخفي")
    assert response.status_code == 400
    assert "NUL" in response.content.decode() or "محظور" in response.content.decode()
    assert not Comment.objects.filter(email=email).exists()


@given(text=hostile_text, name=st.one_of(st.sampled_from(attacks.UNICODE), any_text))
def test_property_any_comment_is_refused_or_stored_by_the_rules(
    client, article, open_comments, text, name
):
    baseline = client.get(article.get_absolute_url())
    check_comment_outcome(client, article, baseline, text=text, name=name or "قارئ")


# ----- search ------------------------------------------------------------------------------


@pytest.fixture
def search_baseline(client, article):
    return client.get(reverse("articles:search"), {"q": "حلب"})


def test_search_with_attack_corpus_answers_without_error_and_inert(client, search_baseline):
    def check(payload):
        response = client.get(reverse("articles:search"), {"q": payload})
        assert response.status_code < 500
        assert_nothing_executable(response, baseline=search_baseline)

    for_each(attacks.ALL, check)


@pytest.mark.parametrize("page", ["search", "home", "feed", "section"])
def test_invalid_utf8_and_odd_query_strings_never_500(client, article, page):
    path = article.section.get_absolute_url() if page == "section" else reverse(f"articles:{page}")

    def check(query):
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500
        if response.get("Content-Type", "").startswith("text/html"):
            assert_nothing_executable(response)

    for_each(attacks.BAD_QUERY_STRINGS, check)


@pytest.mark.parametrize(
    "path", ["/section/%ff/", "/tag/%c3%28/", "/author/%ed%a0%80/", "/article/1/%ff%fe/"]
)
def test_invalid_utf8_in_paths_never_500(client, article, path):
    assert client.get(path).status_code < 500


def test_nul_and_bad_bytes_in_paths_are_404_never_500(client, article):
    def check(path):
        response = client.get(path)
        assert response.status_code in (400, 404), response.status_code

    for_each(attacks.BAD_PATHS, check)


def test_nul_in_query_strings_is_400_on_public_pages_and_the_admin(client, article):
    staff = factories.make_user(is_staff=True, is_superuser=True)
    admin_client = client.__class__()
    admin_client.force_login(staff)
    pages = [
        (client, reverse("articles:search")),
        (client, article.section.get_absolute_url()),
        (client, reverse("articles:home")),
        (admin_client, reverse("admin:articles_article_changelist")),
        (admin_client, reverse("admin:comments_comment_changelist")),
        (admin_client, reverse("admin:accounts_user_changelist")),
    ]

    def check(query):
        for who, path in pages:
            response = who.get(f"{path}?{query}")
            assert response.status_code == 400, (path, response.status_code)

    for_each(attacks.NUL_QUERY_STRINGS, check)


def test_comment_names_without_a_visible_letter_are_refused(client, article, open_comments):
    def check(name):
        response, email = post_comment(client, article, text="تعليق عادي", name=name)
        assert response.status_code == 400
        assert not Comment.objects.filter(email=email).exists()

    for_each(attacks.INVISIBLE_NAMES, check)


@given(query=hostile_text)
def test_property_any_search_query_answers_inert(client, search_baseline, query):
    response = client.get(reverse("articles:search"), {"q": query, "page": query[:5]})
    assert response.status_code < 500
    assert_nothing_executable(response, baseline=search_baseline)


# ----- sign-in and sign-up -----------------------------------------------------------------


def test_sign_in_with_attack_corpus_is_refused_clearly(client, db):
    user = factories.make_reader(username="huda", password="real-pass-2024")

    def check(payload):
        response = client.post(
            reverse("accounts:login"),
            {"username": payload, "password": payload or "x"},
            REMOTE_ADDR=next_ip(),
        )
        assert response.status_code < 500
        assert response.status_code != 302
        assert "_auth_user_id" not in client.session
        assert_nothing_executable(response)

    for_each(attacks.ALL, check)
    user.refresh_from_db()
    assert user.check_password("real-pass-2024")


@given(username=hostile_text, password=hostile_text)
def test_property_sign_in_never_500s_nor_signs_in(client, username, password):
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=next_ip(),
    )
    assert response.status_code < 500
    assert "_auth_user_id" not in client.session
    assert_nothing_executable(response)


def check_signup(client, *, display_name, email, password):
    from accounts.models import User

    client.logout()
    before = User.objects.count()
    # Longer than any address the form accepts: not looked up (SQLite refuses such patterns).
    taken = (
        "\x00" not in email
        and len(email) <= 254
        and User.objects.filter(email__iexact=email.strip()).exists()
    )
    response = client.post(
        reverse("accounts:signup"),
        {
            "display_name": display_name,
            "email": email,
            "password1": password,
            "password2": password,
        },
        REMOTE_ADDR=next_ip(),
    )
    assert response.status_code < 500
    if response.status_code == 302 and taken:
        # The same answer as a new account, and nothing created.
        assert User.objects.count() == before
    elif response.status_code == 302:
        user = User.objects.get(email__iexact=email.strip())
        assert "\x00" not in display_name
        assert user.display_name == display_name.strip()
    else:
        assert User.objects.count() == before
        assert_nothing_executable(response)
    return response


def test_sign_up_with_attack_corpus_is_refused_or_stored_as_typed(client, db):
    def check(payload):
        n = next(_emails)
        check_signup(
            client,
            display_name=payload[:100],
            email=f"new{n}@example.org",
            password="safe-pass-77x",
        )
        check_signup(
            client, display_name="قارئ جديد", email=payload[:254], password="safe-pass-77x"
        )

    for_each(attacks.ALL, check)


@given(name=hostile_text, email=st.one_of(st.emails(), hostile_text), password=hostile_text)
def test_property_sign_up_never_500s(client, db, name, email, password):
    check_signup(client, display_name=name, email=email, password=password)


# ----- admin article form ------------------------------------------------------------------


def add_article(client, section, *, title, body, lead=""):
    return client.post(
        reverse("admin:articles_article_add"),
        {
            "author": client.session["_auth_user_id"],
            "title": title,
            "slug": "",
            "kind": "news",
            "section": section.pk,
            "tags": "",
            "lead": lead,
            "body": body,
            "comments_open": "on",
        },
    )


@pytest.fixture
def preview_baseline(client, editor, section):
    client.force_login(editor)
    article = factories.make_article(section=section, author=editor, status="draft")
    return client.get(reverse("articles:preview", args=[article.pk]))


def check_article_outcome(client, section, baseline, *, title, body):
    before = set(Article.objects.values_list("pk", flat=True))
    response = add_article(client, section, title=title, body=body, lead=body[:300])
    assert response.status_code < 500
    created = Article.objects.exclude(pk__in=before)
    if response.status_code == 302:
        article = created.get()
        assert article.body == clean_html(body.strip())  # the form trims, then the allow-list
        assert article.title == title.strip()
        page = client.get(reverse("articles:preview", args=[article.pk]))
        assert page.status_code == 200
        assert_nothing_executable(page, baseline=baseline)
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert page.status_code == 200
        assert_nothing_executable(page)
    else:
        assert response.status_code == 200  # the form again, with its errors
        assert not created.exists()
        assert "errorlist" in response.content.decode()
        assert_nothing_executable(response)


def test_admin_article_body_and_title_from_attack_corpus_are_sanitized(
    client, section, preview_baseline
):
    for_each(
        attacks.ALL,
        lambda p: check_article_outcome(
            client, section, preview_baseline, title=p[:250] or "عنوان", body=p
        ),
    )
    # Every saved title at once, in the newsroom's list.
    changelist = client.get(reverse("admin:articles_article_changelist"), {"all": ""})
    assert changelist.status_code == 200
    assert_nothing_executable(changelist)


@given(title=hostile_text, body=hostile_text)
def test_property_admin_article_saves_clean_html_or_refuses(
    client, section, preview_baseline, title, body
):
    check_article_outcome(client, section, preview_baseline, title=title, body=body)
