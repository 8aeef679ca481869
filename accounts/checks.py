from django.conf import settings
from django.core.checks import Error, register

from .roles import ROLE_LABELS
from .two_factor import ALL_STAFF, SUPERUSER


@register()
def two_factor_roles_check(app_configs, **kwargs):
    """A misspelt role in TWO_FACTOR_REQUIRED_ROLES would silently require nothing."""
    known = {SUPERUSER, ALL_STAFF, *ROLE_LABELS}
    unknown = sorted(set(settings.TWO_FACTOR_REQUIRED_ROLES) - known)
    if not unknown:
        return []
    return [
        Error(
            f"TWO_FACTOR_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use any of: {', '.join(sorted(known))}.",
            id="accounts.E001",
        )
    ]
