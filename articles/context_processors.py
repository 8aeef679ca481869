from .models import FEATURE_KINDS, FEATURES_SLUG, KIND_PLURALS, KIND_SLUGS, Kind
from .selectors import site_settings_for


def site_chrome(request):
    """What the header and footer of every page need: at most one query (cached)."""
    menu_features = [(kind, KIND_PLURALS[kind], KIND_SLUGS[kind]) for kind in FEATURE_KINDS]
    return {
        "site": site_settings_for(request),
        "menu_features": menu_features,
        "kind_slugs": {str(k): v for k, v in KIND_SLUGS.items()},
        "features_slug": FEATURES_SLUG,
        "Kind": Kind,
    }
