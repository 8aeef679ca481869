from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own validator with an error message that has an Arabic translation.

    Django 5.2 changed this message's msgid (to use ``%d``) and its Arabic catalogue has not
    followed, so the stock validator answers in English on an Arabic page.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
