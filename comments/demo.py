"""Demo comments for the demo newsroom: approved, threaded, featured, pending and spam.

``load`` is idempotent: running it again adds nothing that is already there.
"""

from datetime import timedelta

from django.db import transaction

from articles.models import Article

from .models import Comment, Status

# (key, parent key, name, email, text, status, featured)
THREAD = [
    (
        "a",
        None,
        "ليلى حداد",
        "layla.demo@example.com",
        "تقرير واضح ومتوازن، شكراً لكم على نقل الصورة من أرض الواقع.\nننتظر المتابعة في الأيام القادمة.",
        Status.APPROVED,
        True,
    ),
    (
        "b",
        "a",
        "عمر الخطيب",
        "omar.demo@example.com",
        "أتفق معك، لكن كنت أتمنى ذكر أرقام أدق عن عدد المتضررين.",
        Status.APPROVED,
        False,
    ),
    (
        "c",
        "b",
        "ليلى حداد",
        "layla.demo@example.com",
        "الأرقام الرسمية لم تصدر بعد على ما أظن، وربما تُنشر في تحديث لاحق.",
        Status.APPROVED,
        False,
    ),
    (
        "d",
        "c",
        "سامر يوسف",
        "samer.demo@example.com",
        "صحيح، المكتب المحلي وعد ببيان خلال هذا الأسبوع.",
        Status.APPROVED,
        False,
    ),
    (
        "e",
        None,
        "نور الشامي",
        "nour.demo@example.com",
        "هل من معلومات عن حال الطرق بين المدينتين؟",
        Status.APPROVED,
        False,
    ),
    (
        "f",
        None,
        "زائر جديد",
        "visitor.demo@example.com",
        "تعليق ما زال بانتظار مراجعة المشرفين.",
        Status.PENDING,
        False,
    ),
    (
        "g",
        None,
        "عروض رابحة",
        "offers.demo@example.com",
        "اربح الآن! زوروا http://spam.example و http://spam.example/2",
        Status.SPAM,
        False,
    ),
]

DEMO_ARTICLES = 3


@transaction.atomic
def load(*, stdout=None) -> int:
    """Add the demo thread to the newest published articles. Returns the comments created."""
    created_total = 0
    articles = Article.objects.published().order_by("-published_at", "-id")[:DEMO_ARTICLES]
    for article in articles:
        made = {}
        base = article.published_at + timedelta(hours=1)
        for i, (key, parent_key, name, email, text, status, featured) in enumerate(THREAD):
            comment, created = Comment.objects.get_or_create(
                article=article,
                name=name,
                text=text,
                defaults={
                    "parent": made.get(parent_key),
                    "email": email,
                    "status": status,
                    "is_featured": featured,
                    "created_at": base + timedelta(minutes=17 * i),
                    "ip_address": f"192.0.2.{10 + i}",
                },
            )
            made[key] = comment
            created_total += int(created)
    if stdout is not None:
        stdout.write(f"comments: {created_total} demo comments added")
    return created_total
