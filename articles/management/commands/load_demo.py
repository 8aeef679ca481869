"""Fill the database with a small demo newsroom; safe to run again."""

import io
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw

from accounts import demo as accounts_demo
from articles import demo_content as content
from articles.models import Article, LiveUpdate, Section, SiteSettings, Status, arabic_slugify
from articles.tasks import make_renditions
from comments import demo as comments_demo
from core.tasks import enqueue_after_commit

ADMIN_USERNAME = "admin"
ROLE_USERNAMES = ("journalist", "columnist", "editor", "moderator")

PALETTES = [
    ((138, 28, 28), (242, 166, 90)),
    ((23, 64, 110), (120, 190, 220)),
    ((30, 90, 60), (200, 220, 120)),
    ((70, 40, 100), (230, 150, 180)),
    ((40, 40, 40), (180, 180, 170)),
    ((120, 70, 20), (250, 220, 140)),
]


def dev_password(username: str) -> str:
    return f"levant24-{username}"


def render_body(blocks) -> str:
    """HTML from the demo's small block notation (see ``articles.demo_content``)."""
    html = []
    for block in blocks:
        if isinstance(block, list):
            items = "".join(f"<li>{escape(item)}</li>" for item in block)
            html.append(f"<ul>{items}</ul>")
        elif block.startswith("## "):
            html.append(f"<h2>{escape(block[3:])}</h2>")
        elif block.startswith("> "):
            html.append(f"<blockquote><p>{escape(block[2:])}</p></blockquote>")
        else:
            html.append(f"<p>{escape(block)}</p>")
    return "".join(html)


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return img


def make_picture(seed: int, *, tall: bool = False) -> bytes:
    """A gradient with a few shapes (or a bar chart for infographics), as JPEG."""
    rng = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    size = (1000, 1400) if tall else (1280, 720)
    img = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(img, "RGBA")
    width, height = size
    if tall:
        bars = 6
        gap = width // (bars * 2 + 1)
        for i in range(bars):
            bar_height = rng.randint(height // 6, height * 2 // 3)
            x = gap + i * 2 * gap
            draw.rectangle(
                [x, height - 120 - bar_height, x + gap, height - 120], fill=(255, 255, 255, 200)
            )
        draw.line(
            [(gap // 2, height - 118), (width - gap // 2, height - 118)], fill="white", width=4
        )
    else:
        for _ in range(6):
            radius = rng.randint(60, 260)
            cx, cy = rng.randint(0, width), rng.randint(0, height)
            alpha = rng.randint(40, 110)
            draw.ellipse(
                [cx - radius, cy - radius, cx + radius, cy + radius], fill=(255, 255, 255, alpha)
            )
        draw.rectangle([0, height - 90, width, height], fill=(0, 0, 0, 60))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_portrait(seed: int) -> bytes:
    top, bottom = PALETTES[seed % len(PALETTES)]
    img = _gradient((400, 400), bottom, top)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse([130, 70, 270, 210], fill=(255, 255, 255, 210))
    draw.ellipse([70, 230, 330, 490], fill=(255, 255, 255, 210))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Create a demo newsroom: sections, 30+ published articles of every kind, drafts, "
        "an article in review, a scheduled one, tags, images, site settings and one staff "
        "account per role with known development passwords. Running it again changes nothing "
        "that already exists."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            self.site_settings()
            users = self.staff()
            sections = self.sections()
            created = self.articles(users, sections)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {Article.objects.published().count()} published articles "
                f"({created} created by this run), {Section.objects.count()} sections."
            )
        )
        accounts_demo.load(stdout=self.stdout)
        comments_demo.load(stdout=self.stdout)
        self.stdout.write("Development accounts (username / password):")
        for username in (ADMIN_USERNAME, *ROLE_USERNAMES):
            self.stdout.write(f"  {username} / {dev_password(username)}")
        self.two_factor_notice()

    def two_factor_notice(self):
        roles = settings.TWO_FACTOR_REQUIRED_ROLES
        if roles:
            self.stdout.write(
                f"Two-factor sign-in is required for: {', '.join(roles)}. "
                "Those accounts set up an authenticator app at their first admin sign-in."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is optional here (production requires it of superusers "
                "and editors). To require it locally too, run for example:\n"
                "  TWO_FACTOR_REQUIRED_ROLES=superuser,editor make run"
            )

    def site_settings(self):
        obj = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
        # Fill only what is empty, so edits made by the site admin survive a re-run.
        for field, value in content.SITE.items():
            if not getattr(obj, field):
                setattr(obj, field, value)
        obj.save()

    def staff(self) -> dict:
        User = get_user_model()
        users = {}
        admin, created = User.objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={
                "email": "admin@levant24.example",
                "display_name": "إدارة الموقع",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(dev_password(ADMIN_USERNAME))
            admin.save()
        users[ADMIN_USERNAME] = admin
        for seed, (username, group_name, display_name, bio) in enumerate(content.STAFF):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@levant24.example",
                    "display_name": display_name,
                    "bio": bio,
                    "is_staff": True,
                },
            )
            if created:
                user.set_password(dev_password(username))
                user.save()
            if not user.photo:
                user.photo.save(f"{username}.jpg", ContentFile(make_portrait(seed)), save=True)
            group, _created = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
            users[username] = user
        return users

    def sections(self) -> dict:
        sections = {}
        for order, (name, slug, description) in enumerate(content.SECTIONS):
            section, _created = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "order": order, "description": description}
            )
            sections[slug] = section
        return sections

    def articles(self, users, sections) -> int:
        now = timezone.now()
        created = 0
        entries = [(data, Status.PUBLISHED) for data in content.ARTICLES] + [
            (data, data["status"]) for data in content.UNPUBLISHED
        ]
        for index, (data, status) in enumerate(entries):
            slug = arabic_slugify(data["title"])
            article = Article.objects.filter(slug=slug).first()
            if status == "scheduled":
                published_at = now + timedelta(days=2)
                status = Status.PUBLISHED
            elif status == Status.PUBLISHED:
                # Spread over the last weeks, newest first as listed.
                published_at = now - timedelta(hours=5 + index * 11)
            else:
                published_at = None
            if article is not None:
                if data.get("status") == "scheduled" and article.published_at <= now:
                    # Keep the scheduled demo article in the future on every run.
                    Article.objects.filter(pk=article.pk).update(published_at=published_at)
                continue
            article = Article(
                slug=slug,
                title=data["title"],
                kind=data["kind"],
                section=sections[data["section"]],
                author=users[data["author"]],
                lead=data["lead"],
                body=render_body(data["body"]),
                status=status,
                published_at=published_at,
                published_by=users["editor"] if published_at else None,
                is_lead=data.get("lead_story", False),
                interviewee_name=data.get("interviewee_name", ""),
                interviewee_role=data.get("interviewee_role", ""),
                video_url=data.get("video_url", ""),
            )
            picture = data.get("image")
            if picture or data["kind"] == "infographic":
                picture = picture or {}
                article.image_caption = picture.get("caption", "")
                article.image_credit = picture.get("credit", "")
                article.image_alt = picture.get("caption", data["title"])
                article.image.save(
                    f"demo-{index + 1}.jpg",
                    ContentFile(make_picture(index, tall=data.get("tall", False))),
                    save=False,
                )
                # FieldFile.save() leaves the stored size empty (a form's upload fills it):
                # measured now, so that no page view has to open the file for it.
                Article._meta.get_field("image").update_dimension_fields(article, force=True)
            article.save()
            article.tags.set(data["tags"])
            for minutes, text, pinned in data.get("live_updates", ()):
                LiveUpdate.objects.create(
                    article=article,
                    body=render_body([text]),
                    pinned=pinned,
                    author=article.author,
                    posted_at=(published_at or now) + timedelta(minutes=minutes),
                )
            if published_at and not data.get("edited"):
                # Written once and never edited: no "updated" date on the page.
                Article.objects.filter(pk=article.pk).update(updated_at=published_at)
            if article.image:
                # Saved straight to storage (not through a form): queue its renditions here.
                enqueue_after_commit(make_renditions, article.image.name)
            created += 1
        return created
