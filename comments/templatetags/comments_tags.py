"""The comment section of an article page: ``{% comment_section article %}``.

Articles know nothing of comments; their page template calls this tag. The section is the
same for every reader (approved comments, a blank form without a CSRF token: the reader's
own parts arrive through ``comments:reader``), unless the request is about one reader: a
refused submission shown again with its errors, a reply target chosen without JavaScript
(``?replyto=``), the page right after posting (``?c=``), or a staff preview. Those are
rendered with the reader's token, pending comments and messages, and kept private.
"""

import math

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from edge.http import add_keys, keep_private

from ..forms import CommentForm
from ..models import Comment, ModerationSettings
from ..selectors import PAGE_PARAM, own_pending_comments, thread

register = template.Library()

POSTED_PARAM = "c"
REPLY_PARAM = "replyto"


def _reply_target(article, raw):
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return Comment.objects.approved().filter(article=article, pk=pk).only("pk", "name").first()


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    request = context["request"]
    form = context.get("comment_form")  # bound, when a submission was refused
    preview = bool(context.get("is_preview"))
    query = request.GET
    personal = preview or form is not None or REPLY_PARAM in query or POSTED_PARAM in query
    rules = ModerationSettings.load()
    closed = rules.comments_closed(article)
    own = own_pending_comments(request, article_id=article.pk) if personal else []
    comments = thread(article=article, page_number=query.get(PAGE_PARAM), own=own)
    raw_parent = form["parent"].value() if form is not None else query.get(REPLY_PARAM)
    reply_to = _reply_target(article, raw_parent) if raw_parent and personal else None
    if form is None and not closed:
        user = request.user if personal else None
        form = CommentForm(user=user, initial={"parent": reply_to.pk if reply_to else None})
    if personal:
        keep_private(request)
    else:
        closes_at = rules.closes_at(article) if not closed else None
        seconds = None
        if closes_at is not None:
            seconds = max(1, math.ceil((closes_at - timezone.now()).total_seconds()))
        add_keys(request, keys={f"comments-{article.pk}", "comments-rules"}, seconds=seconds)
    section = {
        "comment_article": article,
        "comments_closed": closed,
        "comment_thread": comments,
        "comment_count": comments.count,
        "comment_form": form,
        "comment_reply_to": reply_to,
        "comment_page_param": PAGE_PARAM,
        "personal": personal,
        "is_preview": preview,
    }
    # Only a personal section is rendered with the request: that is what gives it a CSRF
    # token and the reader's messages.
    return render_to_string(
        "comments/comment_section.html", section, request=request if personal else None
    )
