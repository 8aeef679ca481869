"""Every admin and staff URL, for every role: allowed or refused, cell by cell.

The URLs are enumerated from ``admin.site._registry`` (each model's changelist, add,
change, delete and history pages, plus every custom URL a model admin adds), so a new
model or page cannot slip past this test: it fails until the table says who may open it.
The table is written out by hand from the roles table of README.md, not computed from the code
that enforces them.
"""

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse

from articles.models import Kind, SiteSettings, Status
from comments.models import BannedWord, ModerationSettings
from redirects.models import Redirect
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "journalist", "editor", "moderator", "site_admin")
STANDARD = ("changelist", "add", "change", "delete", "history")

# Y allowed (200) · R allowed, answered with a redirect by design · N refused
# Letters in ROLES order: anonymous reader journalist editor moderator site_admin.
ARTICLE = {  # the object is another author's draft
    "changelist": "NNYYNY",
    "add": "NNYYNY",
    "change": "NNNYNY",
    "delete": "NNNYNY",
    "history": "NNNYNY",
    "tags": "NNYYNY",
    "body_image": "NNYYNY",
    "revisions": "NNNYNY",
    "restore": "NNNRNR",
}
EXPECTED = {
    "articles.Article": ARTICLE,
    **{
        f"articles.{name}": ARTICLE
        for name in (
            "NewsArticle",
            "AnalysisArticle",
            "InterviewArticle",
            "DeepDiveArticle",
            "OpinionArticle",
            "InfographicArticle",
            "VideoArticle",
            "LiveArticle",
        )
    },
    "articles.Section": {
        "changelist": "NNYYNY",
        "add": "NNNYNY",
        "change": "NNYYNY",
        "delete": "NNNYNY",
        "history": "NNYYNY",
    },
    "articles.SiteSettings": {  # one row, site admins only; it cannot be deleted
        "changelist": "NNNNNY",
        "add": "NNNNNN",
        "change": "NNNNNY",
        "delete": "NNNNNN",
        "history": "NNNNNY",
    },
    "taggit.Tag": {
        "changelist": "NNYYNY",
        "add": "NNNYNY",
        "change": "NNYYNY",
        "delete": "NNNYNY",
        "history": "NNYYNY",
    },
    "comments.Comment": {  # comments come from readers: nobody adds one in the admin
        "changelist": "NNNNYY",
        "add": "NNNNNN",
        "change": "NNNNYY",
        "delete": "NNNNYY",
        "history": "NNNNYY",
        "moderate": "NNNNRR",
    },
    "comments.BannedWord": {
        "changelist": "NNNNYY",
        "add": "NNNNYY",
        "change": "NNNNYY",
        "delete": "NNNNYY",
        "history": "NNNNYY",
        "test": "NNNNYY",  # try a sentence against the word filter
    },
    "comments.InnocentWord": dict.fromkeys(STANDARD, "NNNNYY"),
    "comments.ModerationSettings": {  # one set of rules: the list opens it
        "changelist": "NNNNRR",
        "add": "NNNNNN",
        "change": "NNNNYY",
        "delete": "NNNNNN",
        "history": "NNNNYY",
    },
    # The breaking strip, live coverage updates and the live desk: editors.
    "articles.BreakingLine": {**dict.fromkeys(STANDARD, "NNNYNY"), "desk": "NNNYNY"},
    "articles.LiveUpdate": dict.fromkeys(STANDARD, "NNNYNY"),
    # Old addresses and hand-made redirects: editors manage them.
    "redirects.Redirect": dict.fromkeys(STANDARD, "NNNYNY"),
    **{label: dict.fromkeys(STANDARD, "NNNNNY") for label in ("accounts.User", "auth.Group")},
}
# django-axes' lockout records are not in the admin at all (AXES_ENABLE_ADMIN = False).

# Staff pages outside the admin.
PREVIEW_OTHERS_DRAFT = "NNNYNY"
PREVIEW_OWN_DRAFT = "NNYYNY"  # the journalist's own draft

# Custom admin URLs that change something are tried with POST.
POST_URLS = {"restore", "moderate"}


@pytest.fixture
def world(db):
    """One object of every kind the admin manages, and one account per role."""
    users = {
        "reader": factories.make_reader(username="huda", email="huda.reader@example.org"),
        "journalist": factories.make_staff(role="journalist", username="layla"),
        "editor": factories.make_staff(role="editor", username="rana"),
        "moderator": factories.make_staff(role="moderator", username="sami"),
        "site_admin": factories.make_user(username="boss", is_staff=True, is_superuser=True),
    }
    other = factories.make_staff(role="journalist", username="omar")
    section = factories.make_section(name="اقتصاد", slug="اقتصاد")
    drafts = {}
    for kind in Kind.values:
        with reversion.create_revision():
            drafts[kind] = factories.make_article(
                title=f"مسودة سرية {kind}",
                status=Status.DRAFT,
                author=other,
                section=section,
                kind=kind,
                tags=["سري"],
            )
    own = factories.make_article(
        title="مسودة ليلى", status=Status.DRAFT, author=users["journalist"], section=section
    )
    public = factories.make_article(title="خبر منشور", section=section)
    comment = factories.make_comment(
        article=public, email="secret.reader@example.org", status="pending"
    )
    factories.make_comment(article=public, email="approved.reader@example.org")
    SiteSettings.load()
    factories.make_breaking_line()
    factories.make_live_update(article=drafts[Kind.LIVE])
    BannedWord.objects.create(word="شتيمة")
    ModerationSettings.objects.create(pk=1)
    Redirect.objects.create(old_path="/2025/02/13/خبر-قديم", new_path=public.get_absolute_url())
    return {
        "users": users,
        "drafts": drafts,
        "own": own,
        "public": public,
        "comment": comment,
        "secret_titles": [a.title for a in drafts.values()],
        "reader_emails": ["secret.reader@example.org", "approved.reader@example.org"],
    }


def target_object(model, world):
    label = model._meta.label
    if model._meta.app_label == "articles" and "Article" in model.__name__:
        kind = getattr(admin.site._registry[model], "kind", None) or Kind.NEWS
        return world["drafts"][kind]
    if label == "comments.Comment":
        return world["comment"]
    if label == "accounts.User":
        return world["users"]["reader"]
    return model._default_manager.order_by("pk").first()


def admin_cells(world):
    """(label, page, method, url) for every admin URL of every registered model."""
    cells = []
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        obj = target_object(model, world)
        assert obj is not None, f"no {model._meta.label} to open"
        for page in STANDARD:
            args = [obj.pk] if page in ("change", "delete", "history") else []
            cells.append(
                (model._meta.label, page, "GET", reverse(f"admin:{info}_{page}", args=args))
            )
        for pattern in model_admin.get_urls():
            name = pattern.name or ""
            page = name.removeprefix(f"{info}_")
            if not name.startswith(info) or page in STANDARD:
                continue
            kwargs = {}
            keys = pattern.pattern.regex.groupindex
            if "pk" in keys or "object_id" in keys:
                kwargs["pk" if "pk" in keys else "object_id"] = obj.pk
            if "version_id" in keys:
                from reversion.models import Version

                kwargs["version_id"] = Version.objects.get_for_object(obj).first().pk
            method = "POST" if page in POST_URLS else "GET"
            cells.append((model._meta.label, page, method, reverse(f"admin:{name}", kwargs=kwargs)))
    return cells


def outcome(response, client=None) -> str:
    if response.status_code == 200:
        return "Y"
    if response.status_code == 302:
        location = response["Location"]
        if "/login/" in location or location.rstrip("/") == reverse("admin:index").rstrip("/"):
            return "N"  # sent to sign in, or "does not exist / no permission" on the index
        # Allowed only when the page it leads to opens.
        if client is not None and outcome(client.get(location)) == "N":
            return "N"
        return "R"
    assert response.status_code in (403, 404, 405), response.status_code
    return "N"


def client_for(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_allows_or_refuses_each_role_as_the_table_says(client, world, role):
    column = ROLES.index(role)
    cells = admin_cells(world)
    assert {label for label, *_ in cells} == set(EXPECTED), "a model without a row in the table"
    mismatches = []
    client_for(client, world, role)
    for label, page, method, url in cells:
        expected = EXPECTED[label].get(page)
        assert expected is not None, f"{label} {page}: no row in the table"
        data = {"status": "approved"} if page == "moderate" else {}
        response = client.post(url, data) if method == "POST" else client.get(url)
        got = outcome(response, client)
        if got != expected[column]:
            mismatches.append(
                f"{label} {page} {method} {url}: expected {expected[column]}, got {got} ({response.status_code})"
            )
        if method == "GET" and response.status_code == 200:
            content = response.content.decode()
            if got == "Y" and expected[column] == "N":
                continue
            if role not in ("moderator", "site_admin"):
                # Reader emails: only moderators (and site admins) see them, in the admin.
                for email in world["reader_emails"]:
                    assert email not in content, f"{email} shown to {role} on {url}"
            if role in ("anonymous", "reader", "moderator"):
                for title in world["secret_titles"]:
                    assert title not in content, f"draft {title} shown to {role} on {url}"
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
def test_preview_of_drafts_only_for_their_author_and_editors(client, world, role):
    column = ROLES.index(role)
    client_for(client, world, role)
    draft = world["drafts"][Kind.NEWS]
    for article, row in ((draft, PREVIEW_OTHERS_DRAFT), (world["own"], PREVIEW_OWN_DRAFT)):
        response = client.get(reverse("articles:preview", args=[article.pk]))
        assert outcome(response) == row[column], (article.title, response.status_code)
        if row[column] == "N":
            assert article.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_never_show_drafts_or_reader_emails(client, world, role):
    client_for(client, world, role)
    public = world["public"]
    pages = [
        reverse("articles:home"),
        public.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:latest_json"),
        reverse("articles:search") + "?q=مسودة",
        reverse("articles:section", args=[public.section.slug]),
        "/sitemap.xml",
        reverse("articles:tag", args=["سري"]),
        reverse("articles:detail_short", args=[world["drafts"][Kind.NEWS].pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        content = response.content.decode()
        for email in world["reader_emails"]:
            assert email not in content, (role, url)
        for title in world["secret_titles"]:
            assert title not in content, (role, url)


def test_moderators_see_reader_emails_in_the_admin(client, world):
    client.force_login(world["users"]["moderator"])
    comment = world["comment"]
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "secret.reader@example.org" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "published"),
    [("journalist", False), ("moderator", False), ("editor", True), ("site_admin", True)],
)
def test_publish_action_only_for_editors_and_site_admins(client, world, role, published):
    client.force_login(world["users"][role])
    draft = world["own"]
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert (draft.status == Status.PUBLISHED) is published
