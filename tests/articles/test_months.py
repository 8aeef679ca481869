"""Month names follow the site setting: Levantine, Egyptian or both."""

import json
import re
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats
from django.utils.timezone import make_aware

from articles.models import MonthNames, SiteSettings
from tests import factories

pytestmark = pytest.mark.django_db


def set_style(style):
    settings_obj = SiteSettings.load()
    settings_obj.month_names = style
    settings_obj.save()
    cache.clear()


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (MonthNames.LEVANTINE, "كانون الثاني 2025"),
        (MonthNames.EGYPTIAN, "يناير 2025"),
        (MonthNames.BOTH, "كانون الثاني/يناير 2025"),
    ],
)
def test_dates_with_a_month_name_follow_the_setting(style, expected):
    set_style(style)
    assert formats.date_format(date(2025, 1, 5), "YEAR_MONTH_FORMAT") == expected
    assert formats.date_format(date(2025, 1, 5), "j F Y") == "5 " + expected


def test_levantine_names_are_the_default():
    assert SiteSettings.load().month_names == MonthNames.LEVANTINE
    assert formats.date_format(date(2025, 8, 1), "F") == "آب"


def test_admin_date_drill_down_uses_the_setting(client):
    set_style(MonthNames.BOTH)
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    factories.make_article(published_at=make_aware(datetime(2025, 2, 10, 12)))
    url = reverse("admin:articles_article_changelist")
    page = client.get(url, {"published_at__year": "2025", "status": "all"}).content.decode()
    assert "شباط/فبراير" in page


def test_admin_calendar_widget_uses_the_setting(client):
    set_style(MonthNames.LEVANTINE)
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))

    def catalogue():
        body = client.get(reverse("admin:jsi18n")).content.decode()
        return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))

    assert catalogue()["January"] == "كانون الثاني"
    assert catalogue()["abbrev. month December\x04Dec"] == "كانون الأول"
    set_style(MonthNames.EGYPTIAN)
    assert catalogue()["January"] == "يناير"
