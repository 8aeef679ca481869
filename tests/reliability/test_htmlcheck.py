"""The checker the hostile-input tests rely on finds what it must find."""

import pytest

from .htmlcheck import executable_content

SAFE = '<html><head><script src="/static/js/site.js" defer></script><script type="application/ld+json">{"a": 1}</script></head><body><svg class="icon" aria-hidden="true"></svg><a href="/x">x</a></body></html>'


@pytest.mark.parametrize(
    "fragment",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        "<svg>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ],
)
def test_checker_flags_executable_markup(fragment):
    page = SAFE.replace("</body>", fragment + "</body>")
    assert executable_content(page, baseline=SAFE)


def test_checker_accepts_escaped_text_and_known_markup():
    page = SAFE.replace(
        "</body>", "&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</body>"
    )
    assert executable_content(page, baseline=SAFE) == []
