"""Writing a parsed WordPress export into the newsroom: authors, sections, tags, articles,
featured and body images, comments and the old addresses' redirects.

Everything is written in one transaction (``--dry-run`` rolls it back), mostly with bulk
inserts: a ten-thousand-post archive is one import, not an evening. Bulk writes send no
model signals, so every public page is purged once, after the commit, and the search
columns are filled here as the search task would fill them.
"""

import hashlib
import ipaddress
import json
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from accounts import roles
from articles.edge import SITE
from articles.images import validate_image_upload
from articles.models import Article, Kind, Section, Status, arabic_slugify
from articles.sanitize import html_to_text
from articles.search import build_search_document, search_vector_expression, uses_postgres
from comments.models import Comment
from comments.models import Status as CommentStatus
from edge.purge import purge
from redirects.paths import normalize_old_path
from redirects.services import redirects_delete, redirects_set_many

from .content import convert_body, rewrite_links, upload_path
from .export import Export, Item
from .mapping import Mapping
from .models import ImportedItem

logger = logging.getLogger(__name__)

BATCH = 500

# WordPress post status -> ours. Private and trashed posts are kept, never shown: drafts.
POST_STATUS = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,  # scheduled: published at a time still to come
    "draft": Status.DRAFT,
    "pending": Status.REVIEW,
    "private": Status.DRAFT,
    "trash": Status.DRAFT,
}
# WordPress comment_approved -> ours. Held comments wait for our moderators.
COMMENT_STATUS = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "trash": CommentStatus.REJECTED,
    "post-trashed": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}
ARTICLE_FIELDS = [
    "kind",
    "title",
    "slug",
    "section",
    "author",
    "lead",
    "body",
    "video_url",
    "status",
    "published_at",
    "comments_open",
    "created_at",
    "updated_at",
    "image",
    "image_width",
    "image_height",
    "image_caption",
    "image_alt",
    "image_credit",
    "search_document",
]
WARNINGS_SHOWN = 100
_IMAGE_NAME = re.compile(r"\.(jpe?g|png|gif|webp)$", re.I)
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_CREDIT = re.compile(r's:6:"credit";s:\d+:"(.*?)";', re.S)


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    warnings: list[str] = field(default_factory=list)  # the first ones
    warning_count: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for -v 2
    dry_run: bool = False


def _digest(*parts) -> str:
    data = json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def _clip(value: str, limit: int) -> str:
    return (value or "")[:limit]


class Importer:
    def __init__(
        self,
        export: Export,
        *,
        uploads: Path | None,
        mapping: Mapping,
        dry_run: bool,
        progress: Callable[[str, int, int], None] | None,
    ):
        self.export = export
        self.uploads = uploads.resolve() if uploads else None
        self.mapping = mapping
        self.dry_run = dry_run
        self.progress = progress or (lambda stage, done, total: None)
        self.summary = Summary(dry_run=dry_run)
        self.site = export.site_url or "wordpress"
        host = urlsplit(self.site).netloc.lower()
        self.site_hosts = {host.removeprefix("www."), *([host] if host else [])}
        self.known = defaultdict(dict)  # type -> wp_id -> ImportedItem
        self.stored_files: dict[str, str] = {}  # path in uploads -> storage name
        self.users: dict[str, object] = {}  # WordPress login -> user
        self.user_by_wp_id: dict[int, int] = {}
        self.sections: dict[tuple[str, str], Section] = {}
        self.tags: dict[str, int] = {}
        self.article_ids: dict[int, int] = {}  # WordPress post id -> article id
        self.article_urls: dict[int, str] = {}
        self.touched: dict[int, Article] = {}  # articles written in this run, by WordPress id

    # --- helpers ------------------------------------------------------------------

    def count(self, outcome: str, what: str, n: int):
        if n:
            getattr(self.summary, outcome)[what] += n

    def warn(self, message: str):
        self.summary.warning_count += 1
        if len(self.summary.warnings) < WARNINGS_SHOWN:
            self.summary.warnings.append(message)

    def _load_known(self):
        for row in ImportedItem.objects.filter(site=self.site).iterator(chunk_size=5000):
            self.known[row.type][row.wp_id] = row

    def _remember(self, kind: str, pairs: list[tuple[int, str, str]]):
        """Record (wp_id, target, digest) triples, inserting or updating."""
        new, changed = [], []
        for wp_id, target, digest in pairs:
            row = self.known[kind].get(wp_id)
            if row is None:
                row = ImportedItem(
                    site=self.site, type=kind, wp_id=wp_id, target=target, digest=digest
                )
                self.known[kind][wp_id] = row
                new.append(row)
            elif (row.target, row.digest) != (target, digest):
                row.target, row.digest = target, digest
                changed.append(row)
        ImportedItem.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            ImportedItem.objects.bulk_update(changed, ["target", "digest"], batch_size=BATCH)

    def store_upload(self, path: str) -> str | None:
        """Copy a file of the uploads folder into our media storage; its new URL."""
        name = self._store_file(path, prefer_original=True)
        return default_storage.url(name) if name else None

    def _store_file(self, path: str, *, prefer_original: bool = False) -> str | None:
        if self.uploads is None:
            return None
        candidates = [path]
        if prefer_original and _SIZE_SUFFIX.search(path):
            # The full-size original rather than the size WordPress cut for its theme:
            # our templates make their own responsive sizes.
            candidates.insert(0, _SIZE_SUFFIX.sub("", path))
        for candidate in candidates:
            if candidate in self.stored_files:
                return self.stored_files[candidate]
            source = (self.uploads / candidate).resolve()
            if not source.is_relative_to(self.uploads) or not source.is_file():
                continue  # outside the uploads folder (../) or missing
            name = f"wordpress/{candidate}"
            if not default_storage.exists(name):
                # Only images, checked like any upload and with the extension of an image:
                # an HTML or SVG file served from our own domain could carry a script.
                if not _IMAGE_NAME.search(candidate):
                    self.summary.skipped[_("files that are not images")] += 1
                    return None
                with source.open("rb") as fh:
                    try:
                        validate_image_upload(File(fh, name=source.name))
                    except ValidationError:
                        self.summary.skipped[_("damaged image file")] += 1
                        return None
                    fh.seek(0)
                    if not self.dry_run:
                        name = default_storage.save(name, File(fh, name=source.name))
                self.summary.created[_("files copied")] += 1
            self.stored_files[candidate] = name
            return name
        return None

    # --- authors ------------------------------------------------------------------

    def import_authors(self, posts: list[Item]):
        User = get_user_model()
        journalists, _created = Group.objects.get_or_create(name=roles.JOURNALIST)
        logins = sorted({post.creator for post in posts if post.creator})
        for login in logins:
            author = self.export.authors.get(login)
            extra = self.mapping.authors.get(login) or {}
            wp_id = author.wp_id if author else 0
            display_name = _clip(
                extra.get("display_name") or (author.display_name if author else "") or login, 100
            )
            bio = _clip(extra.get("bio") or (author.bio if author else ""), 1000)
            first = _clip(author.first_name if author else "", 150)
            last = _clip(author.last_name if author else "", 150)
            email = (author.email if author else "").strip()
            digest = _digest(login, display_name, bio, first, last, email)
            row = self.known["user"].get(wp_id) if wp_id else None
            user = User.objects.filter(pk=row.target).first() if row else None
            if user is not None:
                if row.digest != digest:
                    user.display_name, user.bio = display_name, bio
                    user.first_name, user.last_name = first, last
                    user.save(update_fields=["display_name", "bio", "first_name", "last_name"])
                    self.summary.updated[_("authors")] += 1
                else:
                    self.summary.unchanged[_("authors")] += 1
            else:
                user = self._author_account(login, email, display_name, bio, first, last)
                user.groups.add(journalists)
            self.users[login] = user
            if wp_id:
                self.user_by_wp_id[wp_id] = user.pk
                self._remember("user", [(wp_id, str(user.pk), digest)])

    def _author_account(self, login, email, display_name, bio, first, last):
        User = get_user_model()
        if email:
            existing = User.objects.filter(email__iexact=email).first()
            if existing is not None and existing.is_staff:
                self.summary.unchanged[_("authors (existing staff accounts)")] += 1
                return existing
            if existing is not None:
                # A reader already owns the address: never give a reader's account staff
                # rights. The author's account is made without an email.
                self.warn(
                    _(
                        "Author %(login)s: the email belongs to a reader account here; "
                        "the author's account was created without an email."
                    )
                    % {"login": login}
                )
                email = ""
        base = _clip(re.sub(r"[^\w.@+-]", "-", login) or "author", 140)
        username, n = base, 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}-{n}"
        user = User(
            username=username,
            email=email,
            display_name=display_name,
            bio=bio,
            first_name=first,
            last_name=last,
            is_staff=True,
        )
        # They choose a password through "lost password".
        user.set_unusable_password()
        user.save()
        self.summary.created[_("authors")] += 1
        return user

    # --- sections and tags -----------------------------------------------------------

    def section_for(self, found: tuple[str, str] | None) -> Section:
        name, slug = found or (self.mapping.default_section, "")
        key = (name, slug)
        if key in self.sections:
            return self.sections[key]
        slug = arabic_slugify(slug or name)
        section = (
            Section.objects.filter(slug=slug).first()
            or Section.objects.filter(name__iexact=name).first()
        )
        if section is None:
            unique, n = slug, 1
            while Section.objects.filter(slug=unique).exists():
                n += 1
                unique = f"{slug}-{n}"
            section = Section.objects.create(name=_clip(name, 100), slug=unique)
            self.summary.created[_("sections")] += 1
        self.sections[key] = section
        return section

    def tag_ids(self, names: list[str]) -> list[int]:
        return [self.tags[n] for n in names]

    def import_tags(self, posts: list[Item]):
        """Every tag the posts use, the missing ones created in one insert."""
        names = sorted(
            {t.name for p in posts for t in p.terms if t.domain == "post_tag" and t.name}
        )
        for start in range(0, len(names), 5000):
            chunk = names[start : start + 5000]
            self.tags.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
        missing = [n for n in names if n not in self.tags]
        if not missing:
            return
        taken = set(Tag.objects.values_list("slug", flat=True))
        new = []
        for name in missing:
            base = Tag(name=name).slugify(name) or "tag"
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{base}_{n}"
            taken.add(slug)
            new.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(new, batch_size=BATCH)
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            self.tags.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
        self.count("created", _("tags"), len(new))

    # --- articles -----------------------------------------------------------------

    def _featured(self, item: Item, attachments: dict[int, Item]) -> dict:
        thumb_id = int(item.meta.get("_thumbnail_id") or 0)
        attachment = attachments.get(thumb_id)
        if attachment is None:
            return {}
        path = upload_path(attachment.attachment_url, site_hosts=self.site_hosts)
        name = self._store_file(path) if path else None
        if name is None:
            self.warn(
                _("Post %(id)s: its featured image %(file)s is not in the uploads folder.")
                % {"id": item.wp_id, "file": path or attachment.attachment_url}
            )
            return {}
        credit = _CREDIT.search(attachment.meta.get("_wp_attachment_metadata", ""))
        return {
            # A dry run copies nothing, and the image field reads its file's size.
            "image": "" if self.dry_run else name,
            "image_caption": _clip(html_to_text(attachment.excerpt), 300),
            "image_alt": _clip(
                html_to_text(attachment.meta.get("_wp_attachment_image_alt", "")), 300
            ),
            "image_credit": _clip(html_to_text(credit.group(1)) if credit else "", 150),
        }

    def _article_fields(self, item: Item, attachments) -> dict:
        kind, section = self.mapping.classify(item.terms)
        body = convert_body(
            item.content,
            is_video=kind == Kind.VIDEO,
            site_hosts=self.site_hosts,
            store_upload=self.store_upload,
        )
        for path in body.missing_files:
            self.warn(
                _("Post %(id)s: %(file)s is not in the uploads folder; the old address is kept.")
                % {"id": item.wp_id, "file": path}
            )
        status = POST_STATUS[item.status]
        published_at = None
        if status == Status.PUBLISHED:
            published_at = item.date_gmt or item.date_local
        title = _clip(item.title, 250) or _("Untitled")
        fields = {
            "kind": kind,
            "title": title,
            # WordPress renames a trashed post's slug; the original one is the post's.
            "slug": arabic_slugify(item.slug.removesuffix("__trashed") or title),
            "section": self.section_for(section),
            "author": self.users.get(item.creator),
            "lead": _clip(html_to_text(item.excerpt), 1000),
            "body": body.html,
            "video_url": _clip(body.video_url, 200),
            "status": status,
            "published_at": published_at,
            "comments_open": item.comment_status != "closed",
            "image": "",
            "image_caption": "",
            "image_alt": "",
            "image_credit": "",
        }
        fields.update(self._featured(item, attachments))
        fields["search_document"] = build_search_document(
            title=fields["title"], lead=fields["lead"], body_html=fields["body"]
        )
        return fields

    def _fallback_author(self):
        if not hasattr(self, "_fallback"):
            self._fallback = self._author_account("wordpress", "", _("Archive"), "", "", "")
            self._fallback.groups.add(Group.objects.get_or_create(name=roles.JOURNALIST)[0])
        return self._fallback

    def import_posts(self, posts: list[Item]):
        attachments = {a.wp_id: a for a in self.export.of_type("attachment")}
        ids = {row.wp_id: int(row.target) for row in self.known["post"].values()}
        existing_pks = (
            set(Article.objects.filter(pk__in=list(ids.values())).values_list("pk", flat=True))
            if ids
            else set()
        )
        total, done = len(posts), 0
        for start in range(0, total, BATCH):
            batch = posts[start : start + BATCH]
            new, changed, remember, tag_rows = [], [], [], {}
            to_fetch = {}
            for item in batch:
                digest = _digest(
                    item.title,
                    item.content,
                    item.excerpt,
                    item.status,
                    item.slug,
                    item.date_gmt,
                    item.date_local,
                    item.modified_gmt,
                    item.comment_status,
                    item.creator,
                    [(t.domain, t.slug, t.name) for t in item.terms],
                    item.meta.get("_thumbnail_id"),
                    self.mapping.source,
                )
                row = self.known["post"].get(item.wp_id)
                pk = int(row.target) if row else None
                if pk in existing_pks and row.digest == digest:
                    self.article_ids[item.wp_id] = pk
                    self.summary.unchanged[_("articles")] += 1
                    continue
                fields = self._article_fields(item, attachments)
                if fields["author"] is None:
                    fields["author"] = self._fallback_author()
                tag_rows[item.wp_id] = self.tag_ids(
                    sorted({t.name for t in item.terms if t.domain == "post_tag" and t.name})
                )
                if pk in existing_pks:
                    to_fetch[pk] = (item, fields, digest)
                else:
                    new.append((item, Article(**fields), digest))
            if to_fetch:
                for article in Article.objects.filter(pk__in=list(to_fetch)):
                    item, fields, digest = to_fetch[article.pk]
                    for name, value in fields.items():
                        setattr(article, name, value)
                    changed.append((item, article, digest))
            Article.objects.bulk_create([a for _i, a, _d in new], batch_size=BATCH)
            # created_at/updated_at carry WordPress's dates: Django's auto_now wrote today,
            # and every article would look "updated" on the day of the import.
            for item, article, _d in new + changed:
                article.created_at, article.updated_at = self._dates(item, article)
            Article.objects.bulk_update(
                [a for _i, a, _d in new], ["created_at", "updated_at"], batch_size=BATCH
            )
            Article.objects.bulk_update(
                [a for _i, a, _d in changed], ARTICLE_FIELDS, batch_size=BATCH
            )
            dated = [a for _i, a, _d in new + changed]
            self._set_image_sizes(dated)
            article_ct = ContentType.objects.get_for_model(Article)
            if changed:
                TaggedItem.objects.filter(
                    content_type=article_ct, object_id__in=[a.pk for _i, a, _d in changed]
                ).delete()
            TaggedItem.objects.bulk_create(
                [
                    TaggedItem(content_type=article_ct, object_id=article.pk, tag_id=tag_id)
                    for item, article, _d in new + changed
                    for tag_id in tag_rows[item.wp_id]
                ],
                batch_size=BATCH,
                ignore_conflicts=True,
            )
            if dated and uses_postgres():
                Article.objects.filter(pk__in=[a.pk for a in dated]).update(
                    search_vector=search_vector_expression()
                )
            for item, article, digest in new + changed:
                self.article_ids[item.wp_id] = article.pk
                self.touched[item.wp_id] = article
                remember.append((item.wp_id, str(article.pk), digest))
            self._remember("post", remember)
            self.count("created", _("articles"), len(new))
            self.count("updated", _("articles"), len(changed))
            done += len(batch)
            self.progress(_("articles"), done, total)

    def _dates(self, item: Item, article: Article):
        modified = item.modified_gmt or article.published_at or timezone.now()
        created = item.date_gmt or item.date_local or modified
        updated = max(modified, article.published_at) if article.published_at else modified
        return created, updated

    def _set_image_sizes(self, articles: list[Article]):
        """Width and height of the featured images, as the image field would record them."""
        sized = []
        for article in articles:
            if not article.image:
                continue
            if article.image_width and article.image_height:
                continue
            if self.dry_run:
                continue
            try:
                article.image_width, article.image_height = (
                    article.image.width,
                    article.image.height,
                )
            except (OSError, ValueError):
                continue
            sized.append(article)
        if sized:
            Article.objects.bulk_update(sized, ["image_width", "image_height"], batch_size=BATCH)

    # --- links and redirects ------------------------------------------------------

    def _old_paths(self, item: Item) -> list[str]:
        paths = []
        for url in (item.link, item.guid, f"{self.site}/?p={item.wp_id}"):
            parts = urlsplit(url)
            if url and (
                not parts.netloc or parts.netloc.lower().removeprefix("www.") in self.site_hosts
            ):
                paths.append(normalize_old_path(url))
        return list(dict.fromkeys(paths))

    def _slugs(self, pks: list[int]) -> dict[int, str]:
        slugs = {}
        for start in range(0, len(pks), 5000):
            chunk = pks[start : start + 5000]
            slugs.update(Article.objects.filter(pk__in=chunk).values_list("pk", "slug"))
        return slugs

    def import_redirects_and_links(self, posts: list[Item]):
        public, hidden = {}, []
        slugs = {article.pk: article.slug for article in self.touched.values()}
        slugs.update(self._slugs([pk for pk in self.article_ids.values() if pk not in slugs]))
        for item in posts:
            pk = self.article_ids.get(item.wp_id)
            if pk is None:
                continue
            if item.status == "publish":
                slug = slugs.get(pk)
                url = reverse("articles:detail", kwargs={"pk": pk, "slug": slug or "-"})
                self.article_urls[item.wp_id] = url
                for path in self._old_paths(item):
                    public[path] = url
            else:
                hidden.extend(self._old_paths(item))
        created, changed = redirects_set_many(public)
        self.count("created", _("redirects"), created)
        self.count("updated", _("redirects"), changed)
        # A post that is no longer public must not lead anywhere from its old address.
        hidden = [path for path in hidden if path not in public]
        if hidden:
            removed = redirects_delete(old_paths=hidden)
            if removed:
                self.summary.updated[_("redirects removed")] += removed

        def resolve(href: str) -> str | None:
            parts = urlsplit(href)
            if parts.netloc and parts.netloc.lower().removeprefix("www.") not in self.site_hosts:
                return None
            if not parts.netloc and not parts.path.startswith("/"):
                return None
            return public.get(normalize_old_path(href))

        rewritten = []
        for article in self.touched.values():
            body, count = rewrite_links(article.body, resolve)
            if count:
                article.body = body
                rewritten.append(article)
        Article.objects.bulk_update(rewritten, ["body"], batch_size=BATCH)
        if rewritten:
            self.summary.updated[_("articles with links to other imported posts")] += len(rewritten)

    # --- comments -----------------------------------------------------------------

    def import_comments(self, posts: list[Item]):
        items = [
            (post, c) for post in posts if post.wp_id in self.article_ids for c in post.comments
        ]
        known = self.known["comment"]
        comment_ids = {wp_id: int(row.target) for wp_id, row in known.items()}
        new, changed = [], []
        existing = {}
        changed_ids = []
        prepared = []
        for post, c in items:
            if c.type in ("pingback", "trackback"):
                self.summary.skipped[_("pingbacks and trackbacks")] += 1
                continue
            status = COMMENT_STATUS.get(c.approved)
            if status is None:
                self.summary.skipped[_("comments with an unknown status")] += 1
                continue
            text = html_to_text(c.content)
            if not text:
                self.summary.skipped[_("empty comments")] += 1
                continue
            digest = _digest(
                c.author, c.email, c.url, c.date_gmt, c.content, c.approved, c.parent_id
            )
            row = known.get(c.wp_id)
            if row is not None and row.digest == digest:
                self.summary.unchanged[_("comments")] += 1
                continue
            prepared.append((post, c, status, text, digest, row))
            if row is not None:
                changed_ids.append(int(row.target))
        for start in range(0, len(changed_ids), 5000):
            for comment in Comment.objects.filter(pk__in=changed_ids[start : start + 5000]):
                existing[comment.pk] = comment
        for done, (post, c, status, text, digest, row) in enumerate(prepared, start=1):
            values = {
                "article_id": self.article_ids[post.wp_id],
                "name": _clip(c.author, 100) or _("Anonymous"),
                # Kept for moderation, never shown (as for comments written here).
                "email": _clip(c.email, 254),
                "website": self._website(c.url),
                "text": text,
                "status": status,
                "ip_address": self._ip(c.ip),
                "user_agent": _clip(c.agent, 300),
                "user_id": self.user_by_wp_id.get(c.user_id),
                "created_at": c.date_gmt or post.date_gmt or timezone.now(),
            }
            comment = existing.get(int(row.target)) if row is not None else None
            if comment is None:
                comment = Comment(**values)
                new.append((c, comment, digest))
            else:
                for name, value in values.items():
                    setattr(comment, name, value)
                changed.append((c, comment, digest))
            if done % 2000 == 0:
                self.progress(_("comments"), done, len(prepared))
        for c, comment, _d in changed:
            comment_ids[c.wp_id] = comment.pk
        # New comments are inserted a thread level at a time (top-level ones first), so each
        # reply is written with its parent's id: no second pass over the rows.
        new_ids = {c.wp_id for c, _cm, _d in new}
        by_wp_id = {c.wp_id: c for c, _cm, _d in new}
        levels = defaultdict(list)
        for c, comment, _d in new:
            depth, parent = 0, c.parent_id
            while parent in new_ids and depth < 100:
                depth += 1
                parent = by_wp_id[parent].parent_id
            levels[depth].append((c, comment))
        for depth in sorted(levels):
            for c, comment in levels[depth]:
                comment.parent_id = self._parent(c, comment_ids)
            Comment.objects.bulk_create([cm for _c, cm in levels[depth]], batch_size=2000)
            for c, comment in levels[depth]:
                comment_ids[c.wp_id] = comment.pk
        for _c, comment, _d in changed:
            comment.parent_id = self._parent(_c, comment_ids)
        if changed:
            Comment.objects.bulk_update(
                [cm for _c, cm, _d in changed],
                [
                    "parent",
                    "name",
                    "email",
                    "website",
                    "text",
                    "status",
                    "ip_address",
                    "user_agent",
                    "user_id",
                    "created_at",
                ],
                batch_size=2000,
            )
        self._remember("comment", [(c.wp_id, str(cm.pk), d) for c, cm, d in new + changed])
        self.count("created", _("comments"), len(new))
        self.count("updated", _("comments"), len(changed))
        self.progress(_("comments"), len(prepared), len(prepared))

    def _parent(self, c, comment_ids) -> int | None:
        if not c.parent_id:
            return None
        parent_pk = comment_ids.get(c.parent_id)
        if parent_pk is None:
            self.warn(
                _(
                    "Comment %(id)s: the comment it replies to was not imported; "
                    "it is shown on its own."
                )
                % {"id": c.wp_id}
            )
        return parent_pk

    @staticmethod
    def _website(url: str) -> str:
        url = (url or "").strip()
        return url if url.startswith(("http://", "https://")) and len(url) <= 200 else ""

    @staticmethod
    def _ip(value: str) -> str | None:
        try:
            return str(ipaddress.ip_address((value or "").strip()))
        except ValueError:
            return None

    # --- all of it ----------------------------------------------------------------

    def run(self) -> Summary:
        self._load_known()
        posts = []
        for item in self.export.items:
            if item.type == "post":
                if item.status in POST_STATUS:
                    posts.append(item)
                else:
                    self.summary.skipped[
                        _("posts with status %(status)s") % {"status": item.status}
                    ] += 1
            elif item.type == "page":
                self.summary.skipped[_("pages (not articles)")] += 1
            elif item.type == "attachment":
                self.summary.skipped[_("attachments (not articles)")] += 1
            else:
                self.summary.skipped[
                    _("other WordPress content (%(type)s)") % {"type": item.type}
                ] += 1
        for stage, step in (
            ("authors", self.import_authors),
            ("tags", self.import_tags),
            ("articles", self.import_posts),
            ("redirects and links", self.import_redirects_and_links),
            ("comments", self.import_comments),
        ):
            started = time.monotonic()
            step(posts)
            self.summary.seconds[stage] = time.monotonic() - started
        return self.summary


def wordpress_import(
    *,
    export: Export,
    uploads: Path | None,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Summary:
    """Import ``export`` in one transaction; with ``dry_run`` everything is rolled back."""
    importer = Importer(
        export, uploads=uploads, mapping=mapping or Mapping(), dry_run=dry_run, progress=progress
    )
    with transaction.atomic():
        summary = importer.run()
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Bulk writes sent no signals: an import is rare, so every public page (all carry
            # the site key) is purged once, after the commit.
            purge({SITE})
    return summary
