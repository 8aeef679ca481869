"""Two-factor sign-in for staff: the code step, enrolment, recovery codes, lockout, reset."""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, two_factor
from tests import factories
from tests.accounts.utils import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
VERIFY = reverse("admin:two_factor_verify")
SETUP = reverse("admin:two_factor_setup")
DEVICES = reverse("admin:two_factor")
CODES = reverse("admin:two_factor_recovery_codes")
LOCKED = "تسجيل الدخول متوقف مؤقتاً"


def code(device, *, seconds_from_now=0) -> str:
    """The code the user's authenticator app shows (now, or that many seconds away)."""
    return f"{totp(device.bin_key, step=device.step, t0=-seconds_from_now):06d}"


def enrol(user, *, name="هاتفي") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def password_step(client, user, *, next="/admin/"):
    return client.post(ADMIN_LOGIN, {"username": user.username, "password": PASSWORD, "next": next})


def code_step(client, value, *, next="/admin/"):
    return client.post(f"{VERIFY}?next={next}", {"code": value, "next": next})


def admin_opens(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["superuser", "editor"]


@pytest.fixture
def editor(db):
    return factories.make_staff(role="editor", username="omar", password=PASSWORD)


@pytest.fixture
def device(editor):
    return enrol(editor)


# --- the code step ---------------------------------------------------------------------------


def test_password_alone_never_opens_the_admin_for_a_required_second_factor(
    client, required, device
):
    response = password_step(client, device.user)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not admin_opens(client)
    # Going back to the sign-in page leads to the code step, not into the admin.
    assert client.get(ADMIN_LOGIN)["Location"].startswith(VERIFY)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_password_alone_does_not_open_the_admin_for_someone_who_enrolled_of_their_own_accord(
    client, device
):
    """Nothing required by the site, but the editor turned it on: their code is asked too."""
    assert password_step(client, device.user)["Location"].startswith(VERIFY)
    assert not admin_opens(client)


def test_code_step_page_is_arabic_and_rtl(client, required, device):
    password_step(client, device.user)
    html = client.get(VERIFY).content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "التحقق بخطوتين" in html
    assert "رموز الاسترداد" in html
    assert 'autocomplete="one-time-code"' in html


def test_a_valid_code_from_the_authenticator_opens_the_admin(client, required, device):
    password_step(client, device.user)
    response = code_step(client, code(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert admin_opens(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_code_typed_with_a_space_or_arabic_digits_is_accepted(client, required, device):
    password_step(client, device.user)
    typed = code(device)
    arabic = typed.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert code_step(client, f"{arabic[:3]} {arabic[3:]}").status_code == 302
    assert admin_opens(client)


def test_the_code_step_keeps_next_on_this_site_only(client, required, device):
    password_step(client, device.user, next="/admin/accounts/user/")
    response = code_step(client, code(device), next="https://evil.example/")
    assert response["Location"] == "/admin/"


def test_an_old_code_is_refused(client, required, device):
    password_step(client, device.user)
    response = code_step(client, code(device, seconds_from_now=-300))
    assert response.status_code == 200
    assert "هذا الرمز غير صالح" in response.content.decode()
    assert not admin_opens(client)


def test_a_code_cannot_be_used_twice(client, required, device):
    used = code(device)
    password_step(client, device.user)
    assert code_step(client, used).status_code == 302
    client.post(reverse("admin:logout"))

    password_step(client, device.user)
    assert code_step(client, used).status_code == 200
    assert not admin_opens(client)
    # The app's next code still works.
    assert code_step(client, code(device, seconds_from_now=30)).status_code == 302
    assert admin_opens(client)


def test_a_code_of_another_users_device_is_refused(client, required, device):
    other = enrol(factories.make_staff(role="editor"))
    password_step(client, device.user)
    assert code_step(client, code(other)).status_code == 200
    assert not admin_opens(client)


def test_staff_signed_in_on_the_public_site_still_need_the_code_for_the_admin(
    client, required, device
):
    client.post(reverse("accounts:login"), {"username": "omar", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(device.user.pk)
    assert not admin_opens(client)
    assert client.get(ADMIN_LOGIN)["Location"].startswith(VERIFY)


def test_draft_preview_needs_the_second_factor_too(client, required, device):
    draft = factories.make_article(status="draft", author=device.user)
    preview = reverse("articles:preview", kwargs={"pk": draft.pk})
    password_step(client, device.user)
    assert client.get(preview).status_code == 404
    code_step(client, code(device))
    assert client.get(preview).status_code == 200


# --- recovery codes ----------------------------------------------------------------------------


def test_each_recovery_code_works_once(client, required, device):
    codes = services.recovery_codes_generate(user=device.user)
    assert len(codes) == 10 and len(set(codes)) == 10

    password_step(client, device.user)
    response = code_step(client, codes[0].upper())
    assert response.status_code == 302
    assert admin_opens(client)
    client.post(reverse("admin:logout"))

    password_step(client, device.user)
    assert code_step(client, codes[0]).status_code == 200
    assert not admin_opens(client)
    response = client.post(
        f"{VERIFY}?next=/admin/", {"code": codes[1], "next": "/admin/"}, follow=True
    )
    assert "الرموز المتبقية: 8" in response.content.decode()
    assert two_factor.recovery_codes_left(device.user) == 8


def test_new_recovery_codes_replace_the_old_ones(client, device):
    old = services.recovery_codes_generate(user=device.user)
    client.force_login(device.user)
    code_step(client, code(device))
    response = client.post(CODES)
    assert response["Location"] == CODES
    html = client.get(CODES).content.decode()
    new = list(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(token in html for token in new)
    # Shown once: the next visit gives only their number.
    again = client.get(CODES).content.decode()
    assert not any(token in again for token in new)
    assert "10" in again


# --- lockout and pacing ------------------------------------------------------------------------


def test_repeated_wrong_codes_lock_the_account_out(client, required, device, settings):
    settings.AXES_FAILURE_LIMIT = 3
    password_step(client, device.user)
    assert code_step(client, "000000").status_code == 200
    assert code_step(client, "111111").status_code == 200
    locked = code_step(client, "222222")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    # A right code is refused while locked out.
    assert code_step(client, code(device)).status_code == 429
    assert not admin_opens(client)


def test_a_correct_password_does_not_clear_the_count_of_wrong_codes(
    client, required, device, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    password_step(client, device.user)
    code_step(client, "000000")
    code_step(client, "111111")
    # Signing in again with the password (lockouts are per account and address, so that
    # strangers elsewhere cannot lock the owner out)...
    client.post(reverse("admin:logout"))
    client.post(ADMIN_LOGIN, {"username": "omar", "password": PASSWORD, "next": "/admin/"})
    # ...still counts the earlier wrong codes.
    locked = client.post(VERIFY, {"code": "222222"})
    assert locked.status_code == 429


def test_a_right_code_clears_the_count_of_wrong_codes(client, required, device, settings):
    settings.AXES_FAILURE_LIMIT = 3
    password_step(client, device.user)
    code_step(client, "000000")
    code_step(client, "111111")
    assert code_step(client, code(device)).status_code == 302
    client.post(reverse("admin:logout"))
    password_step(client, device.user)
    assert code_step(client, "000000").status_code == 200
    assert code_step(client, "111111").status_code == 200


def test_wrong_codes_make_the_next_try_wait(client, required, device, settings):
    settings.SIGNIN_SLOWDOWN_SECONDS = 30
    password_step(client, device.user)
    code_step(client, "000000")
    code_step(client, "111111")
    response = code_step(client, code(device))
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    assert not admin_opens(client)


# --- enrolment ---------------------------------------------------------------------------------


def test_required_staff_without_an_authenticator_must_enrol_first(client, required, editor):
    response = password_step(client, editor)
    assert response["Location"].startswith(SETUP)
    assert not admin_opens(client)
    html = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert two_factor.secret_text(device) in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "دورك يتطلب" in html
    assert "ليس الآن" not in html  # no way around it


def test_enrolment_with_a_code_turns_it_on_and_shows_ten_codes_once(client, required, editor):
    password_step(client, editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    wrong = client.post(SETUP, {"code": "000000", "name": "هاتفي"})
    assert wrong.status_code == 200
    assert "هذا الرمز لا يطابق" in wrong.content.decode()

    response = client.post(f"{SETUP}?next=/admin/", {"code": code(device), "name": "هاتفي"})
    assert response["Location"].startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed and device.name == "هاتفي"
    html = client.get(response["Location"]).content.decode()
    tokens = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(tokens) == 10
    assert all(token in html for token in tokens)
    assert not any(token in client.get(CODES).content.decode() for token in tokens)
    # Enrolment verified this session: the admin opens.
    assert admin_opens(client)


def test_the_secret_stays_the_same_until_confirmed(client, editor):
    client.force_login(editor)
    first = client.get(SETUP).content.decode()
    second = client.get(SETUP).content.decode()
    secret = two_factor.secret_text(TOTPDevice.objects.get(user=editor))
    assert secret in first and secret in second


def test_staff_not_required_are_invited_to_enrol_at_sign_in(client, editor):
    response = password_step(client, editor)
    assert response["Location"] == "/admin/"
    html = client.get("/admin/").content.decode()
    assert "أعدّ التحقق بخطوتين" in html
    assert SETUP in html
    assert "ليس الآن" in client.get(SETUP).content.decode()


def test_adding_a_second_authenticator_needs_the_first_one(client, device):
    client.force_login(device.user)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    code_step(client, code(device))
    assert client.get(SETUP).status_code == 200


@pytest.mark.parametrize(
    "roles, role, needed",
    [
        (["superuser", "editor"], "journalist", False),
        (["superuser", "editor"], "moderator", False),
        (["superuser", "editor", "journalist", "moderator"], "journalist", True),
        (["superuser", "editor", "journalist", "moderator"], "moderator", True),
        (["staff"], "moderator", True),
        ([], "editor", False),
    ],
)
def test_the_setting_names_the_roles_that_must_use_a_second_factor(settings, roles, role, needed):
    settings.TWO_FACTOR_REQUIRED_ROLES = roles
    user = factories.make_staff(role=role)
    assert two_factor.second_factor_required(user) is needed


def test_superusers_are_required_when_the_setting_says_so(settings):
    admin = factories.make_user(is_staff=True, is_superuser=True)
    settings.TWO_FACTOR_REQUIRED_ROLES = ["editor"]
    assert not two_factor.second_factor_required(admin)
    settings.TWO_FACTOR_REQUIRED_ROLES = ["superuser"]
    assert two_factor.second_factor_required(admin)


def test_an_unknown_role_in_the_setting_is_a_configuration_error(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["editr"]
    assert "accounts.E001" in [error.id for error in run_checks()]


def test_production_requires_it_of_superusers_and_editors():
    env = {
        key: value for key, value in os.environ.items() if key != "TWO_FACTOR_REQUIRED_ROLES"
    } | {
        "DJANGO_SETTINGS_MODULE": "levant24.settings.prod",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "levant24.example",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(*s.TWO_FACTOR_REQUIRED_ROLES)",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["superuser", "editor"]


def test_the_demo_says_it_is_optional_and_how_to_require_it(settings):
    from articles.management.commands.load_demo import Command

    settings.TWO_FACTOR_REQUIRED_ROLES = []
    out = StringIO()
    Command(stdout=out).two_factor_notice()
    assert "TWO_FACTOR_REQUIRED_ROLES=superuser,editor make run" in out.getvalue()


# --- the user's own devices ---------------------------------------------------------------------


def _verified(client, device):
    client.force_login(device.user)
    code_step(client, code(device))


def test_users_see_their_authenticators(client, device):
    _verified(client, device)
    html = client.get(DEVICES).content.decode()
    assert "هاتفي" in html
    assert "مستخدم في هذه الجلسة" in html


def test_users_remove_their_own_authenticator(client, device):
    spare = enrol(device.user, name="الحاسوب اللوحي")
    services.recovery_codes_generate(user=device.user)
    _verified(client, device)
    response = client.post(reverse("admin:two_factor_revoke", args=[spare.pk]))
    assert response["Location"] == DEVICES
    assert list(TOTPDevice.objects.filter(user=device.user)) == [device]
    # Removing the last one turns it off, recovery codes included.
    client.post(reverse("admin:two_factor_revoke", args=[device.pk]))
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()


def test_nobody_removes_someone_elses_authenticator(client, device):
    other = enrol(factories.make_staff(role="editor"))
    _verified(client, device)
    response = client.post(reverse("admin:two_factor_revoke", args=[other.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_removing_is_post_only(client, device):
    _verified(client, device)
    assert client.get(reverse("admin:two_factor_revoke", args=[device.pk])).status_code == 405


def test_device_pages_need_a_verified_session(client, device):
    client.force_login(device.user)
    for url in (DEVICES, CODES):
        assert client.get(url).status_code == 302


# --- reset by a site admin ---------------------------------------------------------------------


def test_a_superuser_resets_someones_second_factor_and_it_is_in_the_history(client, device):
    services.recovery_codes_generate(user=device.user)
    admin = factories.make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [device.user.pk]},
        follow=True,
    )
    assert "أُعيد ضبط التحقق بخطوتين لمستخدم واحد" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()
    entry = LogEntry.objects.get(object_id=str(device.user.pk))
    assert entry.user == admin
    history = client.get(reverse("admin:accounts_user_history", args=[device.user.pk]))
    assert "أُعيد ضبط التحقق بخطوتين" in history.content.decode()


def test_a_reset_ends_the_verified_admin_sessions_of_that_account(client, required, device):
    _verified(client, device)
    assert admin_opens(client)
    services.second_factor_reset(
        user=device.user, actor=factories.make_user(is_staff=True, is_superuser=True)
    )
    assert not admin_opens(client)
    # Next step: set up a new authenticator.
    assert client.get(ADMIN_LOGIN)["Location"].startswith(SETUP)


def test_only_superusers_may_reset(client, device):
    from django.core.exceptions import PermissionDenied

    editor = factories.make_staff(role="editor")
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(user=device.user, actor=editor)
    assert TOTPDevice.objects.filter(user=device.user).exists()


def test_the_user_list_shows_who_uses_a_second_factor(client, device):
    admin = factories.make_user(username="siteadmin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    rows = {
        name: re.search(rf'field-username">.*?>{name}<.*?</tr>', html, re.S).group(0)
        for name in ("omar", "siteadmin")
    }
    assert re.search(r'field-two_factor"><img src="[^"]*icon-yes', rows["omar"])
    assert re.search(r'field-two_factor"><img src="[^"]*icon-no', rows["siteadmin"])


# --- readers -----------------------------------------------------------------------------------


def test_readers_sign_in_as_before_even_when_every_staff_account_needs_a_code(client, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["staff"]
    reader = factories.make_reader(username="rana", password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "rana", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_readers_get_nothing_from_the_two_factor_pages(client):
    client.force_login(factories.make_reader())
    for url in (VERIFY, SETUP, DEVICES, CODES):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ADMIN_LOGIN)
    assert not TOTPDevice.objects.exists()


# --- language ----------------------------------------------------------------------------------

# Names of authenticator apps stay as their makers write them.
APP_NAMES = {"freeotp", "aegis", "google", "microsoft", "authenticator"}


def test_every_two_factor_page_is_in_arabic(client, required, editor):
    from tests.project.test_admin_language import english_words

    password_step(client, editor)
    setup = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=editor)
    setup = setup.replace(two_factor.secret_text(device), "")
    client.post(SETUP, {"code": code(device), "name": ""})
    codes_page = client.get(CODES).content.decode()
    for token in StaticToken.objects.values_list("token", flat=True):
        codes_page = codes_page.replace(token, "")
    pages = {
        "setup": setup,
        "recovery codes": codes_page,
        "recovery codes later": client.get(CODES).content.decode(),
        "devices": client.get(DEVICES).content.decode(),
    }
    client.post(reverse("admin:logout"))
    password_step(client, editor)
    pages["code step"] = client.post(VERIFY, {"code": "000000"}).content.decode()
    for name, html in pages.items():
        # The header greets the account by its username: content, not interface.
        assert english_words(html, APP_NAMES | {"omar"}) == [], name


def test_cancel_on_the_code_step_signs_out(client, required, device):
    password_step(client, device.user)
    html = client.get(VERIFY).content.decode()
    logout = reverse("accounts:logout")
    assert f'action="{logout}"' in html
    client.post(logout)
    assert SESSION_KEY not in client.session


def test_the_admin_password_step_makes_the_next_try_wait_after_failures(client, editor, settings):
    settings.SIGNIN_SLOWDOWN_SECONDS = 30
    for wrong in ("wrong-1", "wrong-2"):
        client.post(ADMIN_LOGIN, {"username": "omar", "password": wrong, "next": "/admin/"})
    response = password_step(client, editor)
    assert response.status_code == 200
    assert "محاولات فاشلة كثيرة" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_command_resets_a_second_factor_when_no_superuser_can_sign_in(device):
    from django.core.management import CommandError, call_command

    services.recovery_codes_generate(user=device.user)
    admin = factories.make_user(username="root", is_staff=True, is_superuser=True)
    out = StringIO()
    call_command("two_factor_reset", "omar", by="root", dry_run=True, stdout=out)
    assert "Would remove 1 authenticator app(s) and 10 recovery code(s)" in out.getvalue()
    assert TOTPDevice.objects.filter(user=device.user).exists()

    call_command("two_factor_reset", "omar", by="root", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()
    assert LogEntry.objects.get(object_id=str(device.user.pk)).user == admin

    with pytest.raises(CommandError):
        call_command("two_factor_reset", "omar", by="omar", stdout=StringIO())


# --- the account owner hears of every change ---------------------------------------------------


def test_the_owner_is_mailed_in_arabic_when_an_authenticator_is_added(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    with django_capture_on_commit_callbacks(execute=True):  # the mail task runs after it
        client.post(SETUP, {"code": code(device), "name": ""})
    assert [m.to for m in mailoutbox] == [[editor.email]]
    assert mailoutbox[0].subject == "أُضيف تطبيق مصادقة إلى حسابك في ليفانت 24"
    assert "شخصاً آخر يعرف كلمة مرورك" in mailoutbox[0].body


def test_the_owner_is_mailed_when_an_authenticator_is_removed(
    client, device, mailoutbox, django_capture_on_commit_callbacks
):
    _verified(client, device)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:two_factor_revoke", args=[device.pk]))
    assert [m.subject for m in mailoutbox] == ["حُذف تطبيق مصادقة من حسابك في ليفانت 24"]


def test_the_owner_is_mailed_when_new_recovery_codes_are_made(
    client, device, mailoutbox, django_capture_on_commit_callbacks
):
    _verified(client, device)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODES)
    assert [m.subject for m in mailoutbox] == ["رموز استرداد جديدة لحسابك في ليفانت 24"]


def test_the_owner_is_mailed_when_a_superuser_resets_it(
    device, mailoutbox, django_capture_on_commit_callbacks
):
    admin = factories.make_user(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.second_factor_reset(user=device.user, actor=admin)
    assert [m.to for m in mailoutbox] == [[device.user.email]]
    assert "أُعيد ضبط التحقق بخطوتين" in mailoutbox[0].subject


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_enrolment_still_works_when_the_mail_server_is_down(
    client, editor, settings, django_capture_on_commit_callbacks
):
    from core.models import OutboxMessage

    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailBackend"
    client.force_login(editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": code(device), "name": ""})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # The notice waits in the outbox for the next try.
    assert OutboxMessage.objects.filter(task_name="accounts.tasks.send_rendered_mail").exists()
