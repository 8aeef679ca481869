"""Demo newsroom: a journalist, an editor and a moderator, an article in review and one scheduled."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.roles import EDITOR, JOURNALIST, MODERATOR, sync_roles
from articles import services
from articles.models import Article, Kind, Section, Status

STAFF = [
    ("journalist", "سارة الخطيب", JOURNALIST),
    ("editor", "رامي الحسن", EDITOR),
    ("moderator", "نور العلي", MODERATOR),
]

REVIEW_TITLE = "أسواق دمشق تستعد لموسم الشتاء"
SCHEDULED_TITLE = "قراءة في أرقام الموازنة الجديدة"


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create the demo newsroom staff (journalist, editor, moderator) and an article "
        "waiting for review plus one scheduled for tomorrow. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="levant24-demo", help="Password of the accounts.")
        parser.add_argument("--dry-run", action="store_true", help="Show, then roll back.")

    def handle(self, *args, password, dry_run, **options):
        try:
            with transaction.atomic():
                self._load(password)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
            return
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready."))

    def _load(self, password):
        sync_roles()
        users = {}
        for username, name, role in STAFF:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "display_name": name,
                    "is_staff": True,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[role] = user
            self.stdout.write(f"{role}: {username}")
        section, _ = Section.objects.get_or_create(slug="اقتصاد", defaults={"name": "اقتصاد"})
        journalist, editor = users[JOURNALIST], users[EDITOR]
        review = self._article(REVIEW_TITLE, section=section, author=journalist, kind=Kind.NEWS)
        if review.status == Status.DRAFT:
            services.article_submit_for_review(article=review, by=journalist)
        scheduled = self._article(
            SCHEDULED_TITLE, section=section, author=journalist, kind=Kind.ANALYSIS
        )
        if scheduled.status != Status.PUBLISHED:
            services.article_publish(
                article=scheduled, by=editor, at=timezone.now() + timedelta(days=1)
            )
        self.stdout.write(f"in review: {review.title}")
        self.stdout.write(f"scheduled: {scheduled.title}")

    def _article(self, title, **fields):
        article, _ = Article.objects.get_or_create(
            title=title,
            defaults={
                **fields,
                "status": Status.DRAFT,
                "lead": "موجز تجريبي يعرّف بموضوع المقال في سطرين.",
                "body": "<p>نص تجريبي للمقال كتبته غرفة الأخبار لعرض سير العمل.</p>"
                "<h2>عنوان فرعي</h2><p>فقرة ثانية فيها <strong>تفصيل مهم</strong>.</p>",
            },
        )
        return article
