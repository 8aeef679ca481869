"""The comment section of an article page: ``{{ comment_section(article) }}``.

Articles know nothing of comments; their page template calls this function. The section is the
same for every reader (approved comments, a blank form without a CSRF token: the reader's
own parts arrive through ``comments:reader``), unless the request is about one reader: a
refused submission shown again with its errors, a reply target chosen without JavaScript
(``?replyto=``), the page right after posting (``?c=``), or a staff preview. Those are
rendered with the reader's token, pending comments and messages, and kept private.
"""

import functools
import math

from django.utils import timezone, translation
from jinja2 import pass_context
from markupsafe import Markup

from edge.http import add_keys, keep_private
from levant24.jinja2 import render_within

from .forms import CommentForm
from .models import Comment, ModerationSettings
from .selectors import PAGE_PARAM, own_pending_comments, thread

POSTED_PARAM = "c"
REPLY_PARAM = "replyto"


def _reply_target(article, raw):
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return Comment.objects.approved().filter(article=article, pk=pk).only("pk", "name").first()


class DrawnField:
    """One field of a form, its widget drawn once."""

    def __init__(self, bound):
        self.name = bound.name
        self.label = bound.label
        self.field = bound.field
        self.errors = bound.errors
        self.id_for_label = bound.id_for_label
        self.auto_id = bound.auto_id
        self.html = Markup(str(bound))  # noqa: S704 - Django's widget templates escape

    def __html__(self):
        return self.html


class DrawnForm:
    """What the comment form's template reads of a form, with every widget drawn."""

    def __init__(self, form):
        self.errors = form.errors
        self._non_field_errors = form.non_field_errors()
        self._fields = {bound.name: DrawnField(bound) for bound in form}
        self._visible = [self._fields[bound.name] for bound in form.visible_fields()]

    def __getattr__(self, name):
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    def visible_fields(self):
        return self._visible

    def non_field_errors(self):
        return self._non_field_errors


@functools.lru_cache(maxsize=8)
def blank_form(language: str) -> DrawnForm:
    """The blank comment form of the shared page: the same markup on every article (the
    form's address is written by the template), drawn once per process and language."""
    return DrawnForm(CommentForm())


@pass_context
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
        if personal:
            initial = {"parent": reply_to.pk if reply_to else None}
            form = CommentForm(user=request.user, initial=initial)
        else:
            form = blank_form(translation.get_language())
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
    if personal:
        # Only a personal section is rendered with the reader's CSRF token and messages.
        from django.contrib.messages import get_messages
        from django.template.backends.utils import csrf_input_lazy

        section.update(csrf_input=csrf_input_lazy(request), messages=get_messages(request))
    return render_within(context, "comments/comment_section.jinja", section)


def install(env) -> None:
    env.globals.update(comment_section=comment_section)
