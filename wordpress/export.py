"""Reading a WordPress eXtended RSS export (WXR 1.0 to 1.2, WordPress 3.x to 6.x).

Pure parsing: no database, no files besides the export. The file is read as a stream, so a
large archive does not have to fit in memory as an XML tree. Python's expat refuses entity
expansion bombs and never fetches external entities.
"""

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote
from xml.etree import ElementTree

from django.utils.translation import gettext as _

WP_NAMESPACE = "http://wordpress.org/export/"
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class NotAnExport(ValueError):
    """The file is not a WordPress export; the message says why, for the user."""


@dataclass
class Author:
    wp_id: int
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    bio: str = ""


@dataclass
class Term:
    domain: str  # "category", "post_tag" or a custom taxonomy
    slug: str  # decoded: WordPress exports Arabic slugs percent-encoded
    name: str


@dataclass
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "trash", "spam", "post-trashed"
    type: str
    parent_id: int
    user_id: int
    agent: str = ""


@dataclass
class Item:
    """A post, page, attachment or any other post type, with its comments."""

    wp_id: int
    type: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    status: str
    slug: str
    date_gmt: datetime | None
    date_local: datetime | None
    modified_gmt: datetime | None
    comment_status: str
    parent_id: int
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Export:
    site_url: str = ""
    title: str = ""
    version: str = ""
    authors: dict[str, Author] = field(default_factory=dict)  # by login
    items: list[Item] = field(default_factory=list)

    def of_type(self, post_type: str) -> list[Item]:
        return [item for item in self.items if item.type == post_type]


@functools.lru_cache(maxsize=256)
def _local(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``."""
    if not tag.startswith("{"):
        return tag
    uri, _sep, name = tag[1:].partition("}")
    if uri.startswith(WP_NAMESPACE):
        if uri.rstrip("/").endswith("excerpt"):
            return f"excerpt:{name}"
        return f"wp:{name}"
    return f"{NAMESPACES.get(uri, uri)}:{name}"


class _Fields(dict):
    """An element's children by name: each read is a dictionary lookup, not a scan."""

    def __init__(self, element):
        super().__init__()
        for child in element:
            self.setdefault(_local(child.tag), child.text or "")


def _text(element, name: str) -> str:
    if not isinstance(element, _Fields):
        element = _Fields(element)
    return element.get(name, "")


def _int(value: str) -> int:
    try:
        return int((value or "0").strip())
    except ValueError:
        return 0


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def parse_date(value: str, *, tz=UTC) -> datetime | None:
    """A WordPress date column; its "zero date" (never published) is None."""
    value = (value or "").strip()
    if not _DATE.match(value) or value.startswith("0000"):
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)


def decode_slug(value: str) -> str:
    return unquote((value or "").strip(), errors="replace")


def _author(element) -> Author:
    element = _Fields(element)
    return Author(
        wp_id=_int(_text(element, "wp:author_id")),
        login=_text(element, "wp:author_login").strip(),
        email=_text(element, "wp:author_email").strip(),
        display_name=html.unescape(_text(element, "wp:author_display_name")).strip(),
        first_name=html.unescape(_text(element, "wp:author_first_name")).strip(),
        last_name=html.unescape(_text(element, "wp:author_last_name")).strip(),
        # Not in WordPress's own exporter; some export plugins add it.
        bio=html.unescape(_text(element, "wp:author_description")).strip(),
    )


def _comment(element) -> Comment:
    element = _Fields(element)
    return Comment(
        wp_id=_int(_text(element, "wp:comment_id")),
        author=html.unescape(_text(element, "wp:comment_author")).strip(),
        email=_text(element, "wp:comment_author_email").strip(),
        url=_text(element, "wp:comment_author_url").strip(),
        ip=_text(element, "wp:comment_author_IP").strip(),
        date_gmt=parse_date(_text(element, "wp:comment_date_gmt")),
        content=_text(element, "wp:comment_content"),
        approved=_text(element, "wp:comment_approved").strip() or "0",
        type=_text(element, "wp:comment_type").strip() or "comment",
        parent_id=_int(_text(element, "wp:comment_parent")),
        user_id=_int(_text(element, "wp:comment_user_id")),
        agent=_text(element, "wp:comment_agent").strip(),
    )


def _item(element, *, local_tz) -> Item:
    children, element = element, _Fields(element)
    item = Item(
        wp_id=_int(_text(element, "wp:post_id")),
        type=_text(element, "wp:post_type").strip(),
        title=html.unescape(_text(element, "title")).strip(),
        link=_text(element, "link").strip(),
        guid=_text(element, "guid").strip(),
        creator=_text(element, "dc:creator").strip(),
        content=_text(element, "content:encoded"),
        excerpt=_text(element, "excerpt:encoded"),
        status=_text(element, "wp:status").strip(),
        slug=decode_slug(_text(element, "wp:post_name")),
        date_gmt=parse_date(_text(element, "wp:post_date_gmt")),
        date_local=parse_date(_text(element, "wp:post_date"), tz=local_tz),
        modified_gmt=parse_date(_text(element, "wp:post_modified_gmt")),
        comment_status=_text(element, "wp:comment_status").strip(),
        parent_id=_int(_text(element, "wp:post_parent")),
        attachment_url=_text(element, "wp:attachment_url").strip(),
    )
    for child in children:
        name = _local(child.tag)
        if name == "category":
            item.terms.append(
                Term(
                    domain=child.get("domain", ""),
                    slug=decode_slug(child.get("nicename", "")),
                    name=html.unescape(child.text or "").strip(),
                )
            )
        elif name == "wp:postmeta":
            key = _text(child, "wp:meta_key")
            if key:
                item.meta[key] = _text(child, "wp:meta_value")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


def read_export(source, *, local_tz=UTC, progress: Callable[[int], None] | None = None) -> Export:
    """Parse ``source`` (a path or a binary file). ``progress`` gets the bytes read so far.

    ``local_tz`` interprets the local dates WordPress writes when a GMT date is missing
    (drafts). Raises ``NotAnExport`` for anything that is not a WordPress export.
    """
    export = Export()
    fh = source if hasattr(source, "read") else open(source, "rb")  # noqa: SIM115
    try:
        # Python's expat (2.4.1 and later) refuses entity amplification ("billion laughs",
        # quadratic blowup) and ElementTree never loads external entities or DTDs.
        events = ElementTree.iterparse(fh, events=("start", "end"))  # noqa: S314
        depth = 0
        checked = False
        try:
            for event, element in events:
                if event == "start":
                    depth += 1
                    if not checked:
                        if element.tag != "rss":
                            raise NotAnExport(_("The file is not an RSS document."))
                        checked = True
                    continue
                depth -= 1
                name = _local(element.tag)
                if name == "item" and depth == 2:
                    export.items.append(_item(element, local_tz=local_tz))
                    element.clear()
                    if progress is not None:
                        progress(fh.tell())
                elif name == "wp:author" and depth == 2:
                    author = _author(element)
                    if author.login:
                        export.authors[author.login] = author
                    element.clear()
                elif depth == 2 and name == "wp:wxr_version":
                    export.version = (element.text or "").strip()
                elif depth == 2 and name in ("wp:base_blog_url", "link"):
                    # The blog's own address (on a multisite network the base_site_url is
                    # the network's); the channel's link when an old export lacks it.
                    if name == "wp:base_blog_url" or not export.site_url:
                        export.site_url = (element.text or "").strip().rstrip("/")
                elif depth == 2 and name == "title":
                    export.title = html.unescape(element.text or "").strip()
        except ElementTree.ParseError as exc:
            raise NotAnExport(
                _("The file is not valid XML (%(error)s).") % {"error": exc}
            ) from None
    finally:
        if fh is not source:
            fh.close()
    if not export.version:
        raise NotAnExport(
            _("The file is not a WordPress export: it has no wp:wxr_version element.")
        )
    return export
