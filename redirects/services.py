"""Writes of the redirects table, for the admin's callers and importers alike."""

from .models import Redirect
from .paths import normalize_old_path


def redirect_set(*, old_path: str, new_path: str) -> Redirect:
    """Send ``old_path`` to ``new_path`` (creating or changing the one row for it)."""
    redirect, _created = Redirect.objects.update_or_create(
        old_path=normalize_old_path(old_path), defaults={"new_path": new_path}
    )
    return redirect


def redirects_set_many(pairs: dict[str, str]) -> tuple[int, int]:
    """Many ``{old_path: new_path}`` at once, in three queries; returns (created, changed)."""
    wanted = {normalize_old_path(old): new for old, new in pairs.items()}
    wanted.pop("/", None)
    existing = {r.old_path: r for r in Redirect.objects.filter(old_path__in=list(wanted))}
    changed = []
    for old, new in wanted.items():
        row = existing.get(old)
        if row is not None and row.new_path != new:
            row.new_path = new
            changed.append(row)
    if changed:
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=500)
    new_rows = [
        Redirect(old_path=old, new_path=new) for old, new in wanted.items() if old not in existing
    ]
    Redirect.objects.bulk_create(new_rows, batch_size=500)
    return len(new_rows), len(changed)


def redirects_delete(*, old_paths) -> int:
    keys = [normalize_old_path(path) for path in old_paths]
    return Redirect.objects.filter(old_path__in=keys).delete()[0]
