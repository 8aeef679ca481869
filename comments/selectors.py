"""Reads for the comment section of an article page, in a fixed number of queries.

The public thread is built from each approved comment's stored HTML (``Comment.html``),
joined in threading order: no template runs per comment, so a page with 300 comments costs
little more than one with 30. Threads are paginated by their first comment.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core import rawsql

from .models import Comment, Status

# Replies nest this deep; deeper replies are listed, oldest first, at the last level.
MAX_DEPTH = 4
# Threads (a top-level comment with all its replies) per page of comments.
THREADS_PER_PAGE = 50
PAGE_PARAM = "comments"
# The reader's own pending comments are remembered in a signed cookie (not the session:
# an anonymous reader's first comment would otherwise cost a session row and a second
# write), so they can see them until a moderator decides.
OWN_COOKIE = "comments_own"
OWN_COOKIE_SALT = "levant24.comments.own-pending"
OWN_COOKIE_MAX_AGE = 30 * 24 * 3600
OWN_KEEP = 20


@dataclass
class Node:
    pk: int
    parent_id: int | None
    posted: float  # when, in seconds since 1970: only compared, never shown
    is_featured: bool
    depth: int = 1
    children: list[Node] = field(default_factory=list)


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


def own_pending_comments(request, *, article_id: int | None = None) -> list[Comment]:
    """This reader's comments that still wait for a moderator (one query, none without
    the cookie)."""
    ids = own_pending_ids(request)
    if not ids:
        return []
    found = Comment.objects.pending().filter(pk__in=ids)
    if article_id is not None:
        found = found.filter(article_id=article_id)
    return list(found.defer("email", "ip_address", "user_agent").order_by("created_at", "id"))


def _sibling_order(node: Node):
    return (not node.is_featured, node.posted, node.pk)


def comment_tree(nodes: list[Node]) -> list[Node]:
    """Arrange comments as a tree; editor's picks first among siblings. A reply whose
    parent is not shown is listed at the top level; replies deeper than ``MAX_DEPTH`` are
    listed, oldest first, at the last level."""
    shown = {n.pk for n in nodes}
    children_of = defaultdict(list)
    roots = []
    for node in nodes:
        if node.parent_id in shown:
            children_of[node.parent_id].append(node)
        else:
            roots.append(node)

    def descendants(node):
        found, stack = [], list(children_of[node.pk])
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(children_of[child.pk])
        return sorted(found, key=lambda n: (n.posted, n.pk))

    # Iterative: a reply chain hundreds deep must not exhaust Python's stack.
    roots.sort(key=_sibling_order)
    stack = [(root, 1) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        if depth + 1 < MAX_DEPTH:
            node.children = sorted(children_of[node.pk], key=_sibling_order)
            stack.extend((kid, depth + 1) for kid in reversed(node.children))
        else:
            node.children = descendants(node)
            for kid in node.children:
                kid.depth = MAX_DEPTH
                kid.children = []
    return roots


def _walk(roots: list[Node]):
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _join(roots: list[Node], html_of: dict[int, str], pending_ids: set[int]) -> str:
    """The ``<li>`` of each node with its stored HTML, children nested, as one string."""
    out: list[str] = []

    def emit(node):
        # At most MAX_DEPTH + 1 frames deep: deeper replies were flattened.
        classes = f"comment depth-{node.depth}"
        if node.is_featured:
            classes += " is-featured"
        if node.pk in pending_ids:
            classes += " is-pending"
        out.append(f'<li class="{classes}">{html_of.get(node.pk, "")}')
        if node.children:
            out.append('<ol class="children">')
            for kid in node.children:
                emit(kid)
            out.append("</ol>")
        out.append("</li>")

    for root in roots:
        emit(root)
    return "".join(out)


@dataclass
class Thread:
    html: SafeString
    count: int
    page: object  # the Paginator page of threads, or None when there is one page


THREAD_FIELDS = ("id", "parent_id", "is_featured", "html")
# When each comment was posted, as a number: only its order matters here, and a number is
# read many times faster than a timestamp (hundreds of comments on a busy article).
POSTED = {
    "postgresql": 'EXTRACT(EPOCH FROM c."created_at")::float8',
    "sqlite": '(julianday(c."created_at") - 2440587.5) * 86400.0',
}


@functools.cache
def _thread_statement(vendor: str):
    by_name = {f.attname: f for f in rawsql.fields(Comment, THREAD_FIELDS)}
    pk, parent, featured, html = (by_name[name] for name in THREAD_FIELDS)
    sql = (
        f"SELECT {rawsql.columns('c', (pk, parent))}, {POSTED[vendor]}, "  # noqa: S608
        f'{rawsql.columns("c", (featured, html))} FROM "{Comment._meta.db_table}" c '
        'WHERE c."status" = %s AND c."article_id" = %s ORDER BY c."created_at" DESC, c."id" DESC'
    )
    return sql, (pk, parent, None, featured, html)


def thread(*, article, page_number=None, own: list[Comment] = ()) -> Thread:
    """The approved comments of ``article`` (and ``own`` pending ones) as HTML, in one
    query: the thread's shape with each comment's stored HTML (a few hundred bytes each,
    cheaper to read than a second round trip for the page's share of them)."""
    sql, fields = _thread_statement(connection.vendor)
    rows, _db = rawsql.run(Comment, sql, [Status.APPROVED, article.pk], fields)
    html_of = {}
    nodes = []
    for pk, parent_id, posted, is_featured, html in rows:
        nodes.append(Node(pk, parent_id, posted, is_featured))
        html_of[pk] = html
    count = len(nodes)
    nodes += [Node(c.pk, c.parent_id, c.created_at.timestamp(), False) for c in own]
    if not nodes:
        return Thread(html=mark_safe(""), count=0, page=None)
    roots = comment_tree(nodes)
    page = None
    if len(roots) > THREADS_PER_PAGE:
        paginator = Paginator(roots, THREADS_PER_PAGE)
        page = paginator.get_page(page_number)
        roots = list(page.object_list)
    wanted = [n.pk for n in _walk(roots)]
    missing = [pk for pk in wanted if pk in html_of and not html_of[pk]]
    if missing:
        # Approved before it had its HTML (written outside the model's save): render it
        # once, now, for every later reader.
        for comment in Comment.objects.filter(pk__in=missing):
            html_of[comment.pk] = comment.render_html()
            Comment.objects.filter(pk=comment.pk).update(html=html_of[comment.pk])
    for comment in own:
        html_of[comment.pk] = render_to_string(
            "comments/comment_pending.html", {"comment": comment}
        )
    html = _join(roots, html_of, {c.pk for c in own})
    return Thread(html=mark_safe(html), count=count, page=page)  # noqa: S308 - our templates
