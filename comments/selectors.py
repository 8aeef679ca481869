"""Reads for the comment section of an article page, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import escape

from articles import fragments

from .forms import CommentForm
from .models import Comment, ModerationSettings, Status

# Replies nest this deep; deeper replies are listed, oldest first, at the last level.
MAX_DEPTH = 4
# The reader's own pending comments are remembered in a signed cookie (not the session:
# an anonymous reader's first comment would otherwise cost a session row and a second
# write), so they can see them until a moderator decides.
OWN_COOKIE = "comments_own"
OWN_COOKIE_SALT = "levant24.comments.own-pending"
OWN_COOKIE_MAX_AGE = 30 * 24 * 3600
OWN_KEEP = 20


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list["Node"] = field(default_factory=list)


def own_pending_ids(request) -> list[int]:
    raw = request.COOKIES.get(OWN_COOKIE)
    if not raw:
        return []
    try:
        ids = signing.loads(raw, salt=OWN_COOKIE_SALT)
    except signing.BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    return [pk for pk in ids if isinstance(pk, int)][-OWN_KEEP:]


def remember_own_comment(request, response, comment: Comment) -> None:
    """Lets this reader see ``comment`` while it waits: sets the cookie on ``response``."""
    ids = [pk for pk in own_pending_ids(request) if pk != comment.pk]
    response.set_cookie(
        OWN_COOKIE,
        signing.dumps((ids + [comment.pk])[-OWN_KEEP:], salt=OWN_COOKIE_SALT),
        max_age=OWN_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _sibling_order(comment: Comment):
    return (not comment.is_featured, comment.created_at, comment.pk)


def comment_tree(comments: list[Comment]) -> list[Node]:
    """Arrange comments (oldest first) as a tree; editor's picks first among siblings.

    A reply whose parent is not shown is listed at the top level.
    """
    shown = {c.pk for c in comments}
    children_of = defaultdict(list)
    roots = []
    for comment in comments:
        if comment.parent_id in shown:
            children_of[comment.parent_id].append(comment)
        else:
            roots.append(comment)

    def descendants(comment):
        found, stack = [], list(children_of[comment.pk])
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(children_of[child.pk])
        return sorted(found, key=lambda c: (c.created_at, c.pk))

    def build(comment, depth):
        node = Node(comment=comment, depth=depth)
        if depth + 1 < MAX_DEPTH:
            kids = sorted(children_of[comment.pk], key=_sibling_order)
            node.children = [build(kid, depth + 1) for kid in kids]
        else:
            node.children = [Node(comment=kid, depth=MAX_DEPTH) for kid in descendants(comment)]
        return node

    return [build(comment, 1) for comment in sorted(roots, key=_sibling_order)]


def visible_comments(*, article, own_ids=()) -> list[Comment]:
    """Approved comments of ``article`` plus the reader's own pending ones, in one query."""
    rule = Q(status=Status.APPROVED)
    if own_ids:
        rule |= Q(status=Status.PENDING, pk__in=list(own_ids))
    return list(
        Comment.objects.for_article(article)
        .filter(rule)
        # What a reader never sees is not even loaded.
        .defer("email", "ip_address", "user_agent", "moderated_by", "moderated_at")
        .thread_order()
    )


def _render_thread(*, comments_tree, comments_closed) -> str:
    # Rendered without the request: a placeholder stands for each reader's CSRF token.
    return render_to_string(
        "comments/comment_thread.html",
        {
            "comments_tree": comments_tree,
            "comments_closed": comments_closed,
            "csrf_token": fragments.CSRF_PLACEHOLDER,
        },
    )


def _shared_thread(*, article, closed: bool) -> tuple[int, str]:
    """The approved comments of ``article`` as HTML, with their number."""
    comments = visible_comments(article=article)
    if not comments:
        return 0, ""
    html = _render_thread(comments_tree=comment_tree(comments), comments_closed=closed)
    return len(comments), html


def shared_thread(request, *, article, closed: bool) -> tuple[int, str]:
    """The number of approved comments and their thread, the same for every reader (cached;
    each reader's CSRF token is still a placeholder in it)."""
    return fragments.cached(
        request,
        "comment-thread",
        (article.pk, closed),
        lambda: _shared_thread(article=article, closed=closed),
    )


def may_share_thread(request) -> bool:
    """Whether this reader sees the shared thread: no pending comment of their own to show
    and no reply target to look up."""
    return not own_pending_ids(request) and not request.GET.get("replyto")


def reader_comment_form_html(request, *, article):
    """The blank comment form of ``article`` with this reader's name, email and token."""
    form = CommentForm(user=getattr(request, "user", None))
    return _blank_form_for(request, article=article, form=form)


def _blank_form_for(request, *, article, form: CommentForm):
    # The blank form is the same for everyone but for the reader's own name and email:
    # rendered once with placeholders, filled in for each reader.
    html = fragments.cached(
        request, "comment-form", (article.pk,), lambda: _render_blank_form(article)
    )
    return _fill_blank_form(request, html, form)


def comment_section_context(*, article, request, form: CommentForm | None = None) -> dict:
    rules = ModerationSettings.load()
    closed = rules.comments_closed(article)
    own_ids = own_pending_ids(request)
    raw_parent = form["parent"].value() if form is not None else request.GET.get("replyto")
    # Every key is set on every call: a page that updates its context with a second call
    # (a refused submission shows the reader's form) must not keep the first one's HTML.
    context = {
        "comments_closed": closed,
        "comment_article": article,
        "comment_thread_html": None,
        "comment_form_html": None,
    }

    if not own_ids and not raw_parent:
        # Nothing about this reader in the thread: the same HTML for everyone, cached.
        count, html = shared_thread(request, article=article, closed=closed)
        context.update(
            comments_tree=[],
            comment_thread_html=fragments.with_csrf_token(request, html),
            comment_count=count,
            comment_reply_to=None,
        )
    else:
        # The reader's own pending comments, or a reply target to look up: built for them.
        comments = visible_comments(article=article, own_ids=own_ids)
        approved = {c.pk: c for c in comments if c.status == Status.APPROVED}
        reply_to = None
        if raw_parent:
            try:
                reply_to = approved.get(int(raw_parent))
            except (TypeError, ValueError):
                reply_to = None
        context.update(
            comments_tree=comment_tree(comments),
            comment_count=len(approved),
            comment_reply_to=reply_to,
        )

    if form is None and not closed:
        reply_to = context["comment_reply_to"]
        form = CommentForm(
            user=getattr(request, "user", None),
            initial={"parent": reply_to.pk if reply_to else None},
        )
        if reply_to is None:
            context["comment_form_html"] = _blank_form_for(request, article=article, form=form)
    context["comment_form"] = form
    return context


_NAME_PLACEHOLDER = "__levant24_reader_name__"
_EMAIL_PLACEHOLDER = "__levant24_reader_email__"


def _render_blank_form(article) -> str:
    form = CommentForm(initial={"name": _NAME_PLACEHOLDER, "email": _EMAIL_PLACEHOLDER})
    return render_to_string(
        "comments/comment_form.html",
        {
            "form": form,
            "comment_article": article,
            "comment_reply_to": None,
            "csrf_token": fragments.CSRF_PLACEHOLDER,
        },
    )


def _fill_blank_form(request, html: str, form: CommentForm):
    for placeholder, name in ((_NAME_PLACEHOLDER, "name"), (_EMAIL_PLACEHOLDER, "email")):
        value = form.initial.get(name) or ""
        if value:
            html = html.replace(placeholder, escape(value))
        else:
            # What Django renders for an empty value: no value attribute at all.
            html = html.replace(f' value="{placeholder}"', "")
    return fragments.with_csrf_token(request, html)
