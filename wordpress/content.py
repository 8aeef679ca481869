"""WordPress post content turned into an article body.

Block editor markup (``<!-- wp:... -->`` comments) and classic editor text (paragraphs left
to ``wpautop``, ``[caption]`` and ``[embed]`` shortcodes, bare video links) both end as the
HTML our editor writes, and always through the one sanitizer (``articles.sanitize``):
WordPress administrators may post scripts, and none may survive.
"""

import contextlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from articles.models import video_embed_url
from articles.sanitize import clean_html

_EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s*(\{.*?\})?\s*-->(.*?)"
    r"<!--\s*/wp:(?:core-)?embed(?:/[\w-]+)?\s*-->",
    re.S,
)
_EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.I)
# WordPress turns a link alone on its line into the player (oEmbed).
_BARE_LINK_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_CAPTION_ATTR = re.compile(r"caption=(?:\"([^\"]*)\"|'([^']*)')", re.I)
_IMAGE = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.S | re.I)
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S | re.I)
_MEDIA_SHORTCODES = re.compile(
    r"\[(gallery|playlist|audio)\b[^\]]*\]|\[video\b[^\]]*\].*?\[/video\]", re.S | re.I
)
_BLOCK_START = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|figure|table|pre|div|hr|iframe|script|style|form|"
    r"dl|section|address|hr)\b",
    re.I,
)
_UPLOAD_ATTR = re.compile(
    r"""(?P<attr>\b(?:src|href))=(?P<q>["'])(?P<url>[^"'<>]*?/wp-content/uploads/[^"'<>]+)(?P=q)""",
    re.I,
)
_HREF = re.compile(r"""\bhref=(?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""", re.I)


@dataclass
class Body:
    html: str
    video_url: str = ""
    missing_files: list[str] = field(default_factory=list)


def _embed_replacement(url: str, caption: str, body: Body, *, is_video: bool) -> str:
    url = html.unescape(url.strip())
    if video_embed_url(url) and not body.video_url:
        body.video_url = url
        if is_video:
            return ""  # the article's own player shows it
    text = caption.strip() or html.escape(url)
    return f'<p><a href="{html.escape(url)}">{text}</a></p>'


def _embeds(content: str, body: Body, *, is_video: bool) -> str:
    def block(match):
        url = ""
        with contextlib.suppress(ValueError, AttributeError):
            url = json.loads(match.group(1) or "{}").get("url", "")
        inner = match.group(2)
        if not url:
            found = re.search(r"https?://[^\s<>\"']+", inner)
            url = found.group(0) if found else ""
        caption = _FIGCAPTION.search(inner)
        if not url:
            return ""
        return _embed_replacement(url, caption.group(1) if caption else "", body, is_video=is_video)

    content = _EMBED_BLOCK.sub(block, content)
    content = _EMBED_SHORTCODE.sub(
        lambda m: _embed_replacement(m.group(1), "", body, is_video=is_video), content
    )

    def bare(match):
        if video_embed_url(html.unescape(match.group(1))) is None:
            return match.group(0)
        return _embed_replacement(match.group(1), "", body, is_video=is_video)

    return _BARE_LINK_LINE.sub(bare, content)


def _caption(match) -> str:
    attrs, inner = match.group(1), match.group(2)
    image = _IMAGE.search(inner)
    media = image.group(0) if image else ""
    text = (inner[: image.start()] + inner[image.end() :]).strip() if image else inner.strip()
    if not text:
        old_style = _CAPTION_ATTR.search(attrs)  # WordPress before 3.4 kept it in an attribute
        text = (old_style.group(1) or old_style.group(2) or "") if old_style else ""
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{media}{caption}</figure>"


def autop(content: str) -> str:
    """Paragraphs from blank lines, line breaks from single newlines (WordPress's wpautop,
    which classic editor content relies on), leaving block elements alone."""
    chunks = re.split(r"\n[ \t]*\n", content.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def upload_path(url: str, *, site_hosts: set[str]) -> str | None:
    """The path inside ``wp-content/uploads`` of a link to the old site's uploads."""
    parts = urlsplit(html.unescape(url))
    if parts.netloc and parts.netloc.lower().removeprefix("www.") not in site_hosts:
        return None
    _before, sep, rest = parts.path.partition("/wp-content/uploads/")
    return unquote(rest) if sep and rest else None


def convert_body(
    content: str,
    *,
    is_video: bool,
    site_hosts: set[str],
    store_upload: Callable[[str], str | None],
) -> Body:
    """``store_upload(path_in_uploads)`` copies a file and returns its new URL, or None."""
    body = Body(html="")
    is_blocks = "<!-- wp:" in content
    content = _embeds(content, body, is_video=is_video)
    content = _BLOCK_COMMENT.sub("", content)
    content = _CAPTION.sub(_caption, content)
    content = _MEDIA_SHORTCODES.sub("", content)
    if not is_blocks:
        content = autop(content)

    def upload(match):
        path = upload_path(match.group("url"), site_hosts=site_hosts)
        if path is None:
            return match.group(0)
        new_url = store_upload(path)
        if new_url is None:
            body.missing_files.append(path)
            return match.group(0)
        q = match.group("q")
        return f"{match.group('attr')}={q}{html.escape(new_url)}{q}"

    content = _UPLOAD_ATTR.sub(upload, content)
    # The block editor leaves blank lines where its comments were.
    body.html = re.sub(r"\n\s*\n+", "\n", clean_html(content)).strip()
    return body


def rewrite_links(body_html: str, resolve: Callable[[str], str | None]) -> tuple[str, int]:
    """Point links at their new addresses; ``resolve(href)`` gives one or None."""
    count = 0

    def swap(match):
        nonlocal count
        new_url = resolve(html.unescape(match.group("url")))
        if new_url is None:
            return match.group(0)
        count += 1
        return f'href="{html.escape(new_url)}"'

    rewritten = _HREF.sub(swap, body_html)
    return (clean_html(rewritten) if count else body_html), count
