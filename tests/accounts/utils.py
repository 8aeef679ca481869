import re

PASSWORD = "pass-1234-word"


def link_in(text: str) -> str:
    """The path of the first http(s) link in a mail body."""
    match = re.search(r"https?://[^/\s]+(/\S*)", text)
    assert match, text
    return match.group(1)
