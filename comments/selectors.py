"""Reads for the comment section of an article page, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from .forms import CommentForm
from .models import Comment, ModerationSettings, Status

# Replies nest this deep; deeper replies are listed, oldest first, at the last level.
MAX_DEPTH = 4
# The reader's own pending comments are remembered in the session so they can see them.
SESSION_KEY = "comments_own_pending"
SESSION_KEEP = 20


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list["Node"] = field(default_factory=list)


def own_pending_ids(request) -> list[int]:
    session = getattr(request, "session", None)
    if session is None:
        return []
    return [int(pk) for pk in session.get(SESSION_KEY, [])]


def remember_own_comment(request, comment: Comment) -> None:
    ids = [pk for pk in own_pending_ids(request) if pk != comment.pk]
    request.session[SESSION_KEY] = (ids + [comment.pk])[-SESSION_KEEP:]


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


def comment_section_context(*, article, request, form: CommentForm | None = None) -> dict:
    rules = ModerationSettings.load()
    comments = visible_comments(article=article, own_ids=own_pending_ids(request))
    approved = {c.pk: c for c in comments if c.status == Status.APPROVED}

    reply_to = None
    raw_parent = form["parent"].value() if form is not None else request.GET.get("replyto")
    if raw_parent:
        try:
            reply_to = approved.get(int(raw_parent))
        except (TypeError, ValueError):
            reply_to = None

    closed = rules.comments_closed(article)
    if form is None and not closed:
        form = CommentForm(
            user=getattr(request, "user", None),
            initial={"parent": reply_to.pk if reply_to else None},
        )
    return {
        "comments_tree": comment_tree(comments),
        "comment_count": len(approved),
        "comment_form": form,
        "comments_closed": closed,
        "comment_reply_to": reply_to,
        "comment_article": article,
    }
