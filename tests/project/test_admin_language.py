"""The whole admin speaks Arabic: every list, add form and change form, and its JavaScript."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import BannedWord, ModerationSettings
from tests import factories

pytestmark = pytest.mark.django_db


class _InterfaceText(HTMLParser):
    """Text a person sees or hears, without the values of form fields (their own content)."""

    SPOKEN = {"aria-label", "placeholder", "title", "alt"}
    SKIPPED = {"script", "style", "textarea", "bdi"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip.append(tag)
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        self.parts.extend(value or "" for name, value in attrs.items() if name in self.SPOKEN)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html, allowed):
    parser = _InterfaceText()
    parser.feed(html)
    # Addresses are content, not interface: e-mail addresses and links are left out.
    text = re.sub(r"\S*@\S+|https?://\S+", " ", " ".join(parser.parts))
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in allowed})


@pytest.fixture
def newsroom_content(db):
    """One row of everything the admin lists, so each list shows real rows."""
    from articles.models import Kind, SiteSettings

    author = factories.make_author(username="kateb", email="kateb@example.org")
    author.groups.add(Group.objects.get(name="journalist"))
    section = factories.make_section(name="سوريا", slug="سوريا")
    articles = [
        factories.make_article(kind=kind, section=section, author=author, tags=["حلب"])
        for kind in Kind.values
    ]
    factories.make_comment(article=articles[0], is_featured=True)
    factories.make_comment(article=articles[0], status="pending")
    BannedWord.objects.create(word="شتيمة")
    ModerationSettings.load()
    SiteSettings.load()
    return articles


def admin_pages(obj_for):
    """(url) for every registered model's list, add form and one change form."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        yield reverse(f"{prefix}_add")
        obj = obj_for(model)
        if obj is not None:
            yield reverse(f"{prefix}_change", args=[obj.pk])


def test_every_admin_page_is_arabic_for_the_site_admin(client, newsroom_content):
    boss = factories.make_user(
        username="boss", email="boss@example.org", is_staff=True, is_superuser=True
    )
    client.force_login(boss)
    # The account names the test chose, and the names printed on the keys that Django's
    # Arabic hint for choosing several items refers to.
    allowed = {"boss", "kateb", "control", "command"}

    def obj_for(model):
        return model._default_manager.order_by("pk").first()

    article, section = newsroom_content[0], newsroom_content[0].section
    more = [
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_section_delete", args=[section.pk]),
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        reverse("admin:password_change"),
        reverse("admin:comments_bannedword_test"),
    ]
    checked, leaks = 0, {}
    for url in [reverse("admin:index"), *admin_pages(obj_for), *more]:
        response = client.get(url, follow=True)
        if response.status_code == 403:  # an add form the model does not offer
            continue
        assert response.status_code == 200, url
        checked += 1
        words = english_words(response.content.decode(), allowed)
        if words:
            leaks[url] = words
    assert checked > 30
    assert leaks == {}


def test_admin_javascript_catalogue_translates_every_string_of_django_admin_scripts(client):
    """The two-list role picker and the calendar speak Arabic (Django's catalogue lacks some)."""
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    body = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))
    source = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    missing = []
    for entry in polib.pofile(str(source)):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in catalogue:
            missing.append(entry.msgid)
    assert missing == []
    assert catalogue["Choose all %s"] and "Choose" not in catalogue["Choose all %s"]


def test_roles_show_under_their_arabic_names(client):
    reporter = factories.make_user(username="reporter", groups=["journalist"])
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "رئيس تحرير" in users  # the role filter
    form = client.get(reverse("admin:accounts_user_change", args=[reporter.pk]))
    html = form.content.decode()
    assert re.search(r'<option value="\d+" selected>محرر</option>', html)
    assert "user_permissions" not in html
    roles = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert {"محرر", "رئيس تحرير", "مشرف"} <= set(re.findall(r'">([^<>]+)</a></th>', roles))
    editor = Group.objects.get(name="editor")
    page = client.get(reverse("admin:auth_group_change", args=[editor.pk])).content.decode()
    assert "تعديل رئيس تحرير" in page or "رئيس تحرير</h2>" in page
    assert "نشر" in page  # the publish right, in Arabic
    assert "Can " not in page


def test_lockout_records_are_not_in_the_admin(client):
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "/admin/axes/" not in html
    assert "Axes" not in html


def test_site_admin_sets_a_password_on_the_arabic_password_form(client):
    reporter = factories.make_user(username="reporter")
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:auth_user_password_change", args=[reporter.pk])
    page = client.get(url).content.decode()
    assert "ستضيع كلمة المرور الحالية" in page
    assert 'id="id_unusable_warning"' in page  # Django's script shows and hides it by id
    new = "nahr-baradaa-2025"
    response = client.post(url, {"usable_password": "true", "password1": new, "password2": new})
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password(new)


def test_admin_sign_in_page_is_arabic(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert english_words(response.content.decode(), allowed=set()) == []


@pytest.mark.parametrize("role", ["journalist", "editor", "moderator"])
def test_every_admin_page_a_role_opens_is_arabic(client, newsroom_content, role):
    """Every list, add form and change form, and the refusals a role meets, are Arabic."""
    client.force_login(factories.make_staff(role=role, username="murasil"))
    allowed = {"kateb", "murasil", "control", "command"}

    def obj_for(model):
        return model._default_manager.order_by("pk").first()

    checked, refused, leaks = 0, 0, {}
    tools = [reverse("admin:comments_bannedword_test")]
    for url in [reverse("admin:index"), *admin_pages(obj_for), *tools]:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403), url
        if response.status_code == 403:
            refused += 1
        checked += 1
        words = english_words(response.content.decode(), allowed)
        if words:
            leaks[url] = words
    assert checked >= 3
    assert refused >= 1  # every role meets a page it may not open
    assert leaks == {}


def error_pages(client):
    """(name, response) for each error page a member of staff can meet in the admin."""
    from django.test import Client, RequestFactory

    from articles.errors import server_error

    yield "404", client.get("/admin/no-such-app/")
    yield "404 model", client.get("/admin/articles/no-such-model/")
    yield "400", client.get(reverse("admin:index"), HTTP_HOST="evil.invalid")
    csrf_client = Client(enforce_csrf_checks=True)
    yield "403 csrf", csrf_client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    yield "500", server_error(RequestFactory().get(reverse("admin:index")))


@pytest.mark.parametrize("role", ["journalist", "editor", "moderator", "site admin"])
def test_admin_error_pages_are_arabic_and_right_to_left(client, db, role):
    if role == "site admin":
        client.force_login(
            factories.make_user(username="murasil", is_staff=True, is_superuser=True)
        )
    else:
        client.force_login(factories.make_staff(role=role, username="murasil"))
    leaks = {}
    seen = set()
    for name, response in error_pages(client):
        seen.add(response.status_code)
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, name
        words = english_words(html, {"murasil"})
        if words:
            leaks[name] = words
    assert seen == {400, 403, 404, 500}
    assert leaks == {}


def test_a_refused_admin_page_is_arabic(client, db):
    client.force_login(factories.make_staff(role="journalist", username="murasil"))
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "403 Forbidden" not in html
    assert "ليس لديك صلاحية" in html
    assert english_words(html, set()) == []


def test_history_names_the_changed_fields_in_arabic(client, db):
    from django.contrib.admin.models import LogEntry

    client.force_login(factories.make_user(username="boss", is_staff=True, is_superuser=True))
    section = factories.make_section(name="سوريا", slug="syria")
    url = reverse("admin:articles_section_change", args=[section.pk])
    response = client.post(
        url, {"name": "سورية", "slug": "syria-2", "order": 0, "description": "وصف"}
    )
    assert response.status_code == 302
    message = LogEntry.objects.get().get_change_message()
    assert re.findall(r"[A-Za-z]{3,}", message) == []
    history = client.get(reverse("admin:articles_section_history", args=[section.pk]))
    page = history.content.decode()
    assert message in page
    assert english_words(page, {"boss"}) == []
