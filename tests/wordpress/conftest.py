import io
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parent.parent / "data" / "wordpress"
EXPORT = DATA / "export.xml"
UPLOADS = DATA / "uploads"
SITE = "http://old.levant24.test"


def run_import(*args, export=EXPORT, uploads=UPLOADS) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--uploads", str(uploads), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(db):
    """The real WordPress export, imported once."""
    return run_import()
