"""Account mail, sent by the task queue after the account change commits."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.tasks import RETRY_POLICY, once

from . import services


def _active_user(user_id):
    return get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()


@shared_task(bind=True, **RETRY_POLICY)
def send_confirmation_email(self, user_id: int, base_url: str) -> bool:
    """The email-confirmation link. The token is made here, from the account as it is now,
    so no link sits in the queue; sent once per queued message whatever the retries."""
    with once(f"{self.name}:{self.request.id}") as first:
        user = _active_user(user_id)
        if not first or user is None or not user.email or user.email_confirmed:
            return False
        services.email_confirmation_mail(user=user, base_url=base_url)
        return True


@shared_task(bind=True, **RETRY_POLICY)
def send_password_reset_email(self, user_id: int, domain: str, protocol: str) -> bool:
    """The password-reset link, made here like Django's own form makes it."""
    with once(f"{self.name}:{self.request.id}") as first:
        user = _active_user(user_id)
        if not first or user is None or not user.email or not user.has_usable_password():
            return False
        services.mail_send(
            to=user.email,
            template="accounts/email/password_reset",
            context={
                "email": user.email,
                "domain": domain,
                "protocol": protocol,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "user": user,
                "token": default_token_generator.make_token(user),
            },
        )
        return True


@shared_task(bind=True, **RETRY_POLICY)
def send_rendered_mail(self, to: str, subject: str, text: str, html: str | None = None) -> bool:
    """A message rendered by the request that queued it; sent once whatever the retries."""
    with once(f"{self.name}:{self.request.id}") as first:
        if not first:
            return False
        services.mail_deliver(to=to, subject=subject, text=text, html=html)
        return True
