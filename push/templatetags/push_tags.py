from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def push_public_key() -> str:
    """The VAPID public key, empty when push is off: the same for every reader."""
    if settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY:
        return settings.VAPID_PUBLIC_KEY
    return ""


@register.inclusion_tag("admin/push/desk_panel.html")
def push_desk_panel():
    """Push counts for the live desk (articles' template calls this; articles never imports
    push)."""
    from push.selectors import desk_counts

    return desk_counts()
