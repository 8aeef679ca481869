import re

PASSWORD = "pass-1234-word"


def link_in(text: str) -> str:
    """The path of the first http(s) link in a mail body."""
    match = re.search(r"https?://[^/\s]+(/\S*)", text)
    assert match, text
    return match.group(1)


def post_and_commit(client, path, data=None, **extra):
    """A POST whose after-commit work (the queued mail) has run when it returns, as it does
    outside the test's transaction."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data, **extra)
