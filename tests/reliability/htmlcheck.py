"""Finds anything executable in a rendered page, with the standard library's HTML parser."""

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.embeds: list[tuple] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            if not attributes.get("src") and kind not in ("application/ld+json", "importmap"):
                self.problems.append(f"inline <script {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and value:
                compact = "".join(ch for ch in value if ch > " ").lower()
                if compact.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        refresh = (attributes.get("http-equiv") or "").lower() == "refresh"
        if refresh and "javascript" in (attributes.get("content") or "").lower():
            self.problems.append(f"<meta {attrs}>")
        if tag in ("svg", "iframe", "object", "embed", "math", "base", "frame", "applet"):
            self.embeds.append((tag, tuple(sorted(attrs, key=lambda a: a[0]))))

    handle_startendtag = handle_starttag


def parse(html: str) -> _Finder:
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder


def executable_content(html: str, *, baseline: str | None = None) -> list[str]:
    """Problems in ``html``: inline scripts (other than JSON-LD), ``on*`` attributes,
    ``javascript:`` URLs, and SVG/iframe/object/... elements that ``baseline`` (the same
    page with harmless input) does not have."""
    found = parse(html)
    problems = list(found.problems)
    if baseline is not None:
        known = parse(baseline).embeds
        for embed in found.embeds:
            if embed not in known:
                problems.append(f"element introduced by input: {embed}")
    return problems


def assert_nothing_executable(response, *, baseline=None):
    content = response.content.decode()
    base = baseline.content.decode() if hasattr(baseline, "content") else baseline
    problems = executable_content(content, baseline=base)
    assert not problems, problems
