from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core import rawsql


def _find_user(login: str):
    users = get_user_model()._default_manager
    if "@" in login:
        return users.filter(email__iexact=login).order_by("id").first()
    return users.filter(username=login).first()


class EmailOrUsernameBackend(ModelBackend):
    """Sign in with either the username or the email address."""

    def get_user(self, user_id):
        """The signed-in user of a request (every request with a session): one
        hand-written statement instead of a compiled queryset."""
        user = rawsql.get(get_user_model(), user_id, signals=True)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = _find_user(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def canonical_login(login: str | None) -> str:
    """One key per account, whether it was typed as username or as email (any case).

    Failed attempts are counted against this key, so switching between the
    username and the email address does not reset the count.
    """
    login = (login or "").strip()
    if not login:
        return ""
    user = _find_user(login)
    if user is not None:
        return user.get_username()
    return login.lower() if "@" in login else login


def axes_username(request, credentials=None) -> str:
    """django-axes `AXES_USERNAME_CALLABLE`: lock per account, not per spelling."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        login = credentials.get(field)
    else:
        login = getattr(request, "data", request.POST).get(field)
    return canonical_login(login)
