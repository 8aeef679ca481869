"""The redirects table: old addresses answer 301, live pages are never hidden, and the
lookup costs one indexed query only when a page would be "not found"."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from redirects.models import Redirect
from redirects.paths import lookup_keys, normalize_old_path
from redirects.services import redirect_set, redirects_delete, redirects_set_many
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    [
        "/2025/02/13/%d8%b3%d9%88%d9%82/",
        "/2025/02/13/%D8%B3%D9%88%D9%82/",
        "/2025/02/13/سوق/",
        "/2025/02/13/سوق",
        "http://old.example.org/2025/02/13/سوق/",
    ],
)
def test_every_spelling_of_an_old_address_is_one_key(raw):
    assert normalize_old_path(raw) == "/2025/02/13/سوق"


def test_query_keys_are_sorted_and_decoded():
    assert normalize_old_path("/?p=12") == "/?p=12"
    assert normalize_old_path("/archive/?b=2&a=%D8%B3") == "/archive?a=س&b=2"
    assert lookup_keys("/", [("p", "12"), ("utm_source", "x")])[:2] == ["/", "/?p=12"]


def test_an_unknown_old_address_answers_301(client):
    redirect_set(old_path="/2025/02/13/%d8%b3%d9%88%d9%82/", new_path="/article/5/سوق/")
    response = client.get("/2025/02/13/سوق/")
    assert response.status_code == 301
    assert response["Location"] == iri_to_uri("/article/5/سوق/")
    assert client.get("/2025/02/13/%D8%B3%D9%88%D9%82").status_code == 301


def test_a_live_page_is_never_redirected(client, article):
    Redirect.objects.create(old_path=normalize_old_path(article.get_absolute_url()), new_path="/x/")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_post_is_never_redirected(client):
    redirect_set(old_path="/old/", new_path="/new/")
    assert client.post("/old/").status_code != 301


def test_a_not_found_page_stays_404_in_arabic(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404


def test_only_a_404_or_a_post_id_costs_a_query(client, article):
    with CaptureQueriesContext(connection) as found:
        client.get(article.get_absolute_url())
    assert not any("redirects_redirect" in q["sql"] for q in found.captured_queries)
    with CaptureQueriesContext(connection) as missing:
        client.get("/no/such/page/")
    assert sum("redirects_redirect" in q["sql"] for q in missing.captured_queries) == 1


def test_a_wordpress_post_id_on_the_home_page_is_redirected(client):
    redirect_set(old_path="/?p=42", new_path="/article/1/x/")
    response = client.get("/?p=42&utm_source=newsletter")
    assert response.status_code == 301 and response["Location"] == "/article/1/x/"
    assert client.get("/?p=43").status_code == 200  # the home page


def test_bulk_set_and_delete():
    assert redirects_set_many({"/a/": "/1/", "/b/": "/2/"}) == (2, 0)
    assert redirects_set_many({"/a/": "/1/", "/b/": "/3/"}) == (0, 1)
    assert Redirect.objects.get(old_path="/b").new_path == "/3/"
    assert redirects_delete(old_paths=["/A/"]) == 1


def test_editors_manage_redirects_in_the_arabic_admin(client):
    editor = factories.make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    changelist = client.get(reverse("admin:redirects_redirect_changelist"))
    assert changelist.status_code == 200
    assert "التحويلات" in changelist.content.decode()
    response = client.post(
        reverse("admin:redirects_redirect_add"),
        {
            "old_path": "http://old.example.org/2024/01/01/%D8%AE%D8%A8%D8%B1/",
            "new_path": "/article/9/خبر/",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Redirect.objects.get().old_path == "/2024/01/01/خبر"
    assert client.get("/2024/01/01/خبر/").status_code == 301


def test_the_admin_refuses_a_redirect_to_itself_or_a_foreign_scheme(client):
    editor = factories.make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    url = reverse("admin:redirects_redirect_add")
    loop = client.post(url, {"old_path": "/a/", "new_path": "/a"})
    assert "لا يمكن أن يشير التحويل إلى العنوان نفسه" in loop.content.decode()
    script = client.post(url, {"old_path": "/b/", "new_path": "javascript:alert(1)"})
    assert script.status_code == 200 and not Redirect.objects.exists()


def test_journalists_and_moderators_cannot_manage_redirects(client):
    for role in ("journalist", "moderator"):
        user = factories.make_user(is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        assert client.get(reverse("admin:redirects_redirect_changelist")).status_code == 403


def test_a_database_error_during_the_lookup_keeps_the_404(client, monkeypatch):
    from django.db import DatabaseError

    from redirects.models import RedirectQuerySet

    def broken(self, keys):
        raise DatabaseError("down")

    monkeypatch.setattr(RedirectQuerySet, "matching", broken)
    assert client.get("/old/path/").status_code == 404
