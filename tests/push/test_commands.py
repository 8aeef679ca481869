import base64
from io import StringIO

from django.core.management import call_command
from py_vapid import Vapid


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_vapid_keys_prints_a_matching_pair_as_environment_lines():
    out = StringIO()
    call_command("vapid_keys", "--subject", "mailto:a@b.example", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"}
    assert lines["VAPID_SUBJECT"] == "mailto:a@b.example"
    public = unb64(lines["VAPID_PUBLIC_KEY"])
    assert len(public) == 65 and public[0] == 4
    # The private key, as pywebpush reads it, has this public key.
    vapid = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    assert vapid.public_key.public_numbers().x.to_bytes(32, "big") == public[1:33]


def test_start_up_checks_refuse_a_push_setup_that_cannot_work(settings):
    from push.checks import vapid_settings
    from push.services import vapid_key_pair

    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert vapid_settings() == []  # off

    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    settings.VAPID_SUBJECT = "mailto:desk@levant24.example"
    assert vapid_settings() == []

    settings.VAPID_PRIVATE_KEY = ""
    assert [e.id for e in vapid_settings()] == ["push.E001"]
    settings.VAPID_PRIVATE_KEY = vapid_key_pair()[1]  # another pair's
    assert [e.id for e in vapid_settings()] == ["push.E002"]
    settings.VAPID_PRIVATE_KEY = "not a key"
    assert [e.id for e in vapid_settings()] == ["push.E002"]
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "http://127.0.0.1:8000"
    assert [e.id for e in vapid_settings()] == ["push.E003"]
