from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import (
    BannedWord,
    Comment,
    CommentEdit,
    CommentQuerySet,
    ModerationSettings,
    Status,
)
from tests import factories

pytestmark = pytest.mark.django_db


def rules(**values):
    obj = ModerationSettings.load()
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def submit(article, *, n=1, **overrides):
    data = {
        "article": article,
        "name": "هالة",
        "email": f"reader{n}@example.org",
        "text": f"تعليق عادي رقم {n}",
        "ip_address": f"203.0.113.{n}",
    }
    data.update(overrides)
    return services.comment_submit(**data)


def post(article, *, ip="203.0.113.9", **overrides):
    data = {"text": "تعليق عبر الصفحة", "name": "هالة", "email": "hala@example.org"}
    data.update(overrides)
    return Client(REMOTE_ADDR=ip).post(reverse("comments:post", args=[article.pk]), data)


# --- moderation rules -----------------------------------------------------------------------


def test_every_comment_is_held_by_default(article):
    assert submit(article).status == Status.PENDING


def test_comments_are_approved_when_hold_all_is_off(article):
    rules(hold_all=False)
    assert submit(article).status == Status.APPROVED


def test_typed_email_of_a_known_commenter_alone_is_held(article):
    """A guest typing a regular commenter's email (any case, any name) waits like anyone."""
    factories.make_comment(article=article, email="Known@Example.org", status=Status.APPROVED)
    assert submit(article, email="known@example.org", name="منتحل").status == Status.PENDING
    assert submit(article, n=2, email="KNOWN@example.org").status == Status.PENDING


def test_signed_in_reader_with_confirmed_email_and_approved_comment_is_approved(article):
    reader = factories.make_reader(email="known@example.org", email_confirmed=True)
    factories.make_comment(article=article, email="Known@Example.org", status=Status.APPROVED)
    assert submit(article, email="known@example.org", user=reader).status == Status.APPROVED


def test_signed_in_reader_with_unconfirmed_email_is_held(article):
    reader = factories.make_reader(email="known@example.org", email_confirmed=False)
    factories.make_comment(article=article, email="known@example.org", status=Status.APPROVED)
    assert submit(article, email="known@example.org", user=reader).status == Status.PENDING


def test_signed_in_reader_typing_another_known_email_is_held(article):
    reader = factories.make_reader(email="mine@example.org", email_confirmed=True)
    factories.make_comment(article=article, email="mine@example.org", status=Status.APPROVED)
    factories.make_comment(article=article, email="known@example.org", status=Status.APPROVED)
    assert submit(article, email="known@example.org", user=reader).status == Status.PENDING


def test_browser_token_of_own_approved_comment_approves_the_next_one(article):
    first = submit(article, email="guest@example.org")
    token = services.commenter_trust_token(comment=first)
    # Still pending: the token proves nothing yet.
    assert submit(article, n=2, email="guest@example.org", trust_token=token).is_pending
    services.comment_set_status(comment=first, status=Status.APPROVED)
    assert (
        submit(article, n=3, email="Guest@example.org", trust_token=token).status == Status.APPROVED
    )
    # The token vouches for its own email only, and a forged one for nothing.
    assert submit(article, n=4, email="other@example.org", trust_token=token).is_pending
    assert submit(article, n=5, email="guest@example.org", trust_token=token + "x").is_pending


def test_known_email_rule_can_be_switched_off(article):
    rules(auto_approve_known_email=False)
    reader = factories.make_reader(email="known@example.org", email_confirmed=True)
    factories.make_comment(article=article, email="known@example.org", status=Status.APPROVED)
    assert submit(article, email="known@example.org", user=reader).status == Status.PENDING


def test_email_with_only_pending_or_spam_comments_is_not_known(article):
    factories.make_comment(article=article, email="known@example.org", status=Status.PENDING)
    factories.make_comment(article=article, email="known@example.org", status=Status.SPAM, text="x")
    assert submit(article, email="known@example.org").status == Status.PENDING


def test_comment_with_links_at_threshold_is_held_even_when_otherwise_approved(article):
    rules(hold_all=False)
    one = submit(article, n=1, text="راجع https://a.example")
    two = submit(article, n=2, text="راجع https://a.example و www.b.example")
    assert one.status == Status.APPROVED
    assert two.status == Status.PENDING


def test_link_threshold_is_configurable(article):
    rules(hold_all=False, link_threshold=1)
    assert submit(article, text="راجع https://a.example").status == Status.PENDING


def test_banned_word_hold_holds_comment_from_known_email(article):
    factories.make_comment(article=article, email="known@example.org")
    BannedWord.objects.create(word="خائن", action=BannedWord.Action.HOLD)
    comment = submit(article, email="known@example.org", text="أنت والخائنُ سواء")
    assert comment.status == Status.PENDING


def test_banned_word_reject_stores_rejected_and_form_asks_to_edit(article):
    BannedWord.objects.create(word="كلمةسيئة", action=BannedWord.Action.REJECT)
    response = post(article, text="هذا نص فيه بِكَلِمَةسيئة واضحة")
    assert response.status_code == 400
    html = response.content.decode()
    assert "يحتوي تعليقك على كلمات غير مسموح بها هنا. يرجى تعديله." in html
    assert "هذا نص فيه بِكَلِمَةسيئة واضحة" in html
    assert Comment.objects.get().status == Status.REJECTED


def test_banned_word_with_normalized_spelling_matches(article):
    rules(hold_all=False)
    BannedWord.objects.create(word="مؤامرة")
    assert submit(article, n=1, text="إنها مؤامره كبرى").status == Status.PENDING
    # Plurals and attached prefixes are the same word to the filter.
    assert submit(article, n=2, text="وللمؤامرات وجوه").status == Status.PENDING
    assert submit(article, n=3, text="أمر عادي").status == Status.APPROVED


def test_reject_word_with_a_right_to_left_mark_inside_is_rejected_even_from_a_known_email(
    article,
):
    factories.make_comment(article=article, email="known@example.org")
    BannedWord.objects.create(word="حمار", action=BannedWord.Action.REJECT)
    comment = submit(article, email="known@example.org", text="يا حم\u200fار")
    assert comment.status == Status.REJECTED


def test_innocent_word_from_the_admin_list_is_not_caught(article):
    rules(hold_all=False)
    BannedWord.objects.create(word="كس", action=BannedWord.Action.REJECT)
    # بكس (a pickup truck) is on the list the migration starts with.
    assert submit(article, n=1, text="اشتريت بكس جديد").status == Status.APPROVED
    assert submit(article, n=2, text="ك س").status == Status.REJECTED


def test_blocked_email_and_domain_are_refused(article):
    rules(blocked_emails="bad@example.org\n@spam.example")
    for email in ("BAD@example.org", "anyone@spam.example"):
        with pytest.raises(services.CommentRefused) as refusal:
            submit(article, email=email)
        assert refusal.value.code == "blocked"
    assert Comment.objects.count() == 0
    response = post(article, email="x@spam.example")
    assert response.status_code == 400
    assert "لا تُقبل التعليقات من هذا العنوان." in response.content.decode()


def test_blocked_ip_is_refused(article):
    rules(blocked_ips="203.0.113.66")
    response = post(article, ip="203.0.113.66")
    assert response.status_code == 400
    assert "لا تُقبل التعليقات من هذا العنوان." in response.content.decode()
    assert post(article, ip="203.0.113.67").status_code == 302


def test_settings_changes_apply_immediately(article):
    ModerationSettings.load()
    rules(hold_all=False)
    assert ModerationSettings.load().hold_all is False


# --- flood and spam defences ----------------------------------------------------------------


def test_honeypot_filled_is_refused_with_message_and_text_kept(article):
    response = post(article, homepage="http://bot.example", text="نص آلي")
    assert response.status_code == 400
    html = response.content.decode()
    assert "يبدو أن تعليقك أُرسل آليًّا فلم يُقبل. اترك الحقل الأخير فارغًا." in html
    assert "نص آلي" in html
    assert Comment.objects.count() == 0


def test_second_comment_from_same_ip_within_15_seconds_is_refused(article):
    assert post(article, text="الأول").status_code == 302
    response = post(article, text="الثاني")
    assert response.status_code == 400
    html = response.content.decode()
    assert "أنت تعلّق بسرعة كبيرة. يرجى الانتظار بضع ثوانٍ ثم المحاولة مجددًا." in html
    assert "الثاني" in html
    assert Comment.objects.count() == 1
    assert post(article, ip="203.0.113.10", text="من عنوان آخر").status_code == 302


def test_flood_interval_comes_from_settings_and_zero_turns_it_off(article, settings):
    now = timezone.now()
    settings.COMMENTS_FLOOD_SECONDS = 60
    submit(article, n=1, ip_address="203.0.113.6", now=now - timedelta(seconds=30))
    with pytest.raises(services.CommentRefused) as refusal:
        submit(article, n=2, ip_address="203.0.113.6", now=now)
    assert refusal.value.code == "flood"

    settings.COMMENTS_FLOOD_SECONDS = 0
    assert submit(article, n=3, ip_address="203.0.113.6", now=now).pk
    assert submit(article, n=4, ip_address="203.0.113.6", now=now).pk


def test_comment_after_15_seconds_is_accepted(article, clock):
    submit(article, n=1, ip_address="203.0.113.5")
    with pytest.raises(services.CommentRefused):
        submit(article, n=2, ip_address="203.0.113.5")
    clock.advance(16)
    assert submit(article, n=3, ip_address="203.0.113.5").pk


def test_hourly_limit_per_ip_is_refused_with_message(article, clock, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    rules(hourly_limit=3)
    for n in range(3):
        submit(article, n=n, ip_address="203.0.113.5")
    with pytest.raises(services.CommentRefused) as refusal:
        submit(article, n=9, ip_address="203.0.113.5")
    assert refusal.value.code == "hourly"
    response = post(article, ip="203.0.113.5")
    assert response.status_code == 400
    assert (
        "بلغت الحد الأقصى للتعليقات في ساعة واحدة. يرجى المحاولة لاحقًا."
        in response.content.decode()
    )
    # The next hour counts afresh.
    clock.advance(3601)
    assert submit(article, n=10, ip_address="203.0.113.5")


def test_hourly_limit_zero_means_no_limit(article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    rules(hourly_limit=0)
    for n in range(12):
        submit(article, n=n, ip_address="203.0.113.5")
    assert Comment.objects.count() == 12


def test_exact_duplicate_is_refused_with_message_and_text_kept(article):
    factories.make_comment(
        article=article, email="hala@example.org", text="نفس التعليق", status=Status.PENDING
    )
    response = post(article, text="نفس التعليق")
    assert response.status_code == 400
    html = response.content.decode()
    assert "لقد نشرت هذا التعليق من قبل." in html
    assert "نفس التعليق</textarea>" in html
    assert Comment.objects.count() == 1


def test_same_text_on_another_article_or_by_another_email_is_not_a_duplicate(article):
    factories.make_comment(article=factories.make_article(), email="hala@example.org", text="نص")
    factories.make_comment(article=article, email="other@example.org", text="نص")
    assert submit(article, email="hala@example.org", text="نص").pk


# --- status, edits, featuring ---------------------------------------------------------------


def test_set_status_records_moderator_and_time(article):
    moderator = factories.make_moderator()
    comment = factories.make_comment(article=article, status=Status.PENDING, flag_count=2)
    services.comment_set_status(comment=comment, status=Status.APPROVED, by=moderator)
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert comment.flag_count == 0


def test_set_status_refuses_unknown_status(article):
    comment = factories.make_comment(article=article)
    with pytest.raises(ValueError):
        services.comment_set_status(comment=comment, status="deleted")


def test_edit_text_is_recorded(article):
    moderator = factories.make_moderator()
    comment = factories.make_comment(article=article, text="نص أصلي")
    services.comment_edit_text(comment=comment, text="نص معدّل", by=moderator)
    comment.refresh_from_db()
    assert comment.text == "نص معدّل"
    edit = CommentEdit.objects.get()
    assert (edit.old_text, edit.new_text, edit.edited_by) == ("نص أصلي", "نص معدّل", moderator)


# --- reporting ------------------------------------------------------------------------------


def seasoned_reader(**extra):
    """A confirmed reader account older than a day: its reports count."""
    reader = factories.make_reader(email_confirmed=True, **extra)
    reader.date_joined = timezone.now() - timedelta(days=2)
    reader.save(update_fields=["date_joined"])
    return reader


def test_report_is_recorded_once_per_user_session_or_ip(article):
    comment = factories.make_comment(article=article)
    user = seasoned_reader()
    assert services.comment_report(comment=comment, user=user, ip_address="203.0.113.1")
    assert not services.comment_report(comment=comment, user=user, ip_address="203.0.113.2")
    assert services.comment_report(comment=comment, session_key="s1", ip_address="203.0.113.3")
    assert not services.comment_report(comment=comment, session_key="s1", ip_address="203.0.113.4")
    # A new session from an IP that already reported anonymously is the same reader.
    assert not services.comment_report(comment=comment, session_key="s2", ip_address="203.0.113.3")
    assert comment.reports.count() == 2
    comment.refresh_from_db()
    assert comment.flag_count == 1  # the anonymous report is kept, not counted
    assert comment.status == Status.APPROVED


def test_report_threshold_is_configurable(article):
    rules(reports_threshold=1)
    comment = factories.make_comment(article=article)
    services.comment_report(comment=comment, user=seasoned_reader(), ip_address="203.0.113.1")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.moderated_by is None


def test_fresh_accounts_from_one_address_cannot_send_a_comment_back(article):
    """Three accounts made seconds ago, from one address: kept for staff, none counted."""
    rules(reports_threshold=3)
    comment = factories.make_comment(article=article)
    for _ in range(3):
        fresh = factories.make_reader(email_confirmed=True)
        assert services.comment_report(comment=comment, user=fresh, ip_address="203.0.113.7")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.flag_count == 0
    assert comment.reports.count() == 3


def test_seasoned_accounts_from_one_address_count_once(article):
    rules(reports_threshold=2)
    comment = factories.make_comment(article=article)
    for _ in range(3):
        services.comment_report(comment=comment, user=seasoned_reader(), ip_address="203.0.113.7")
    comment.refresh_from_db()
    assert comment.flag_count == 1
    assert comment.status == Status.APPROVED
    services.comment_report(comment=comment, user=seasoned_reader(), ip_address="203.0.113.8")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_unconfirmed_accounts_do_not_count(article):
    rules(reports_threshold=1)
    comment = factories.make_comment(article=article)
    reader = seasoned_reader()
    reader.email_confirmed = False
    reader.save(update_fields=["email_confirmed"])
    services.comment_report(comment=comment, user=reader, ip_address="203.0.113.9")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


# --- moderator email ------------------------------------------------------------------------


def test_no_email_for_approved_comments_or_when_switched_off(article):
    factories.make_moderator(email="mod1@levant24.example")
    rules(hold_all=False)
    submit(article, n=1)
    assert mail.outbox == []
    rules(hold_all=True, notify_moderators=False)
    submit(article, n=2)
    assert mail.outbox == []
    assert Comment.objects.pending().count() == 1


@pytest.mark.parametrize(
    "overrides",
    [{"text": "x"}, {"text": "ب" * 5001}, {"name": ""}, {"name": "س" * 101}, {"email": ""}],
)
def test_service_refuses_what_the_form_would_refuse(article, overrides):
    with pytest.raises(services.CommentRefused):
        submit(article, **overrides)
    assert Comment.objects.count() == 0


def test_banned_word_added_after_comments_were_checked_applies_to_the_next_one(article):
    first = services.comment_submit(
        article=article, name="قارئ", email="a@example.org", text="تعليق عادي عن الخبر"
    )
    assert first.status != Status.REJECTED  # the (empty) list of banned words is now cached
    BannedWord.objects.create(word="كلمةممنوعة", action=BannedWord.Action.REJECT)
    second = services.comment_submit(
        article=article, name="قارئ", email="b@example.org", text="فيه كلمةممنوعة هنا"
    )
    assert second.status == Status.REJECTED
    BannedWord.objects.all().delete()
    third = services.comment_submit(
        article=article, name="قارئ", email="c@example.org", text="فيه كلمةممنوعة مرة أخرى"
    )
    assert third.status != Status.REJECTED


# --- abuse: duplicates, names, deep threads -------------------------------------------------


def test_identical_comment_is_refused_by_the_stored_key_even_when_the_check_is_missed(article):
    """The unique key is the guarantee: a second identical comment that slips past the
    quick check (as it does when both arrive at once) is still refused, not stored."""
    first = submit(article, email="Hala@example.org", text="نص مكرر")
    assert first.dedupe_key
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            article=article,
            name="هالة",
            email="hala@example.org",
            text="نص مكرر",
            dedupe_key=services.comment_dedupe_key(
                article_id=article.pk, email="HALA@example.org", text="نص مكرر"
            ),
        )


def test_duplicate_lost_race_is_refused_with_the_duplicate_message(article, monkeypatch):
    submit(article, email="hala@example.org", text="نص مكرر")
    # As if the other copy were stored between this request's check and its insert.
    monkeypatch.setattr(CommentQuerySet, "for_article", lambda self, article: self.none())
    with pytest.raises(services.CommentRefused) as refusal:
        submit(article, n=2, email="hala@example.org", text="نص مكرر")
    assert refusal.value.code == "duplicate"
    monkeypatch.undo()
    assert Comment.objects.filter(text="نص مكرر").count() == 1


def test_rejected_comment_can_be_sent_again(article):
    comment = submit(article, email="hala@example.org", text="نص مرفوض")
    services.comment_set_status(comment=comment, status=Status.REJECTED)
    assert submit(article, n=2, email="hala@example.org", text="نص مرفوض").pk


@pytest.mark.parametrize(
    "name",
    ["\u200b\u200c\u200d", "\u200f\u200e", "\u2060\ufeff", "\u0651\u064e", "\u3164", "ـ"],
)
def test_name_without_a_visible_letter_is_refused(article, name):
    with pytest.raises(services.CommentRefused) as refusal:
        submit(article, name=name)
    assert refusal.value.field == "name"
    response = post(article, name=name)
    assert response.status_code == 400
    assert "يجب أن يحتوي الاسم على حرف واحد على الأقل." in response.content.decode()
    assert not Comment.objects.exists()


def test_name_with_a_letter_among_joiners_is_accepted(article):
    assert submit(article, name="\u200cلا\u200dمع").pk


def deep_chain(article, depth):
    parent = None
    for n in range(depth):
        parent = Comment.objects.create(
            article=article, parent=parent, name="ق", email="a@example.org", text=f"رد {n}"
        )
    return parent


def test_deleting_a_deep_reply_chain_needs_no_recursion(article):
    chain_end = deep_chain(article, 600)
    root = Comment.objects.filter(parent__isnull=True).get()
    other = factories.make_comment(article=article)
    assert services.comments_delete(ids=[root.pk]) == 600
    assert not Comment.objects.filter(pk=chain_end.pk).exists()
    assert list(Comment.objects.all()) == [other]
