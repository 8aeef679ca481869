from django.utils import timezone

from .models import FEATURE_KINDS, KIND_PLURALS, KIND_SLUGS, Kind, SiteSettings


def site_chrome(request):
    """What the header and footer of every page need."""
    menu_features = [(kind, KIND_PLURALS[kind], KIND_SLUGS[kind]) for kind in FEATURE_KINDS]
    return {
        "site": SiteSettings.load(),
        "menu_features": menu_features,
        "kind_slugs": {str(k): v for k, v in KIND_SLUGS.items()},
        "Kind": Kind,
        "now": timezone.now(),
    }
