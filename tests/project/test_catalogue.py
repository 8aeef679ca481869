"""The Arabic catalogue is complete and its compiled file is current."""

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = [
    "levant24",
    "core",
    "edge",
    "articles",
    "comments",
    "push",
    "accounts",
    "redirects",
    "wordpress",
    "templates",
]


def _entries(catalogue):
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if not e.obsolete and "fuzzy" not in e.flags
    }


def test_every_catalogue_entry_is_translated():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert missing == []


def test_compiled_catalogue_matches_the_source():
    assert _entries(polib.mofile(str(MO))) == _entries(polib.pofile(str(PO))), (
        "locale/ar/LC_MESSAGES/django.mo is stale: run `make messages`"
    )


def test_every_interface_string_is_in_the_catalogue(tmp_path):
    """Extract strings from a copy of the sources and compare with the catalogue."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is required in CI to check the catalogue")
        pytest.skip("GNU gettext is not installed: catalogue completeness not checked")
    for name in SOURCES:
        shutil.copytree(
            BASE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "locale")
        )
    shutil.copy(BASE / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "levant24.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if e.translated()}
    missing = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known)
    assert missing == [], "untranslated strings: run `make messages` and translate them"


def test_counts_of_one_and_two_are_words_not_numerals():
    """Arabic says دقيقة واحدة and دقيقتان, never "1 دقيقة" or "2 دقيقتين": for every plural
    message of our catalogue (and Django's durations it overrides) the forms for one and two
    carry no numeral."""
    from django.utils import translation
    from django.utils.timesince import timesince

    po = polib.pofile(str(PO))
    checked = 0
    with translation.override("ar"):
        for entry in po:
            if not entry.msgid_plural:
                continue
            names = re.findall(r"%\((\w+)\)[sd]", entry.msgid)
            for n in (1, 2):
                text = translation.ngettext(entry.msgid, entry.msgid_plural, n)
                # Every placeholder but a query is the count.
                values = {name: "س" if name == "query" else n for name in names}
                text = text % values if names else text
                assert str(n) not in text, (entry.msgid, n, text)
            checked += 1
        assert checked >= 10
        now = datetime.datetime(2025, 1, 1, 12, 0)
        two = timesince(now - datetime.timedelta(minutes=2), now)
        one = timesince(now - datetime.timedelta(minutes=1), now)
        assert (two, one.replace("\xa0", " ")) == ("دقيقتان", "دقيقة واحدة")
