"""Approved comments keep their rendered HTML; render it again so the avatars get the new initials."""

from django.db import migrations

BATCH = 500


def rerender(apps, schema_editor):
    # The current model renders (the template needs its properties); the rows are read and
    # written through the historical one, with only the fields the template shows.
    from comments.models import Comment as CurrentComment

    Comment = apps.get_model("comments", "Comment")
    rows = Comment.objects.filter(status="approved").only(
        "pk", "name", "website", "text", "is_featured", "created_at", "status"
    )
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        current = CurrentComment(
            pk=row.pk,
            name=row.name,
            website=row.website,
            text=row.text,
            is_featured=row.is_featured,
            created_at=row.created_at,
            status=row.status,
        )
        row.html = current.render_html()
        changed.append(row)
        if len(changed) >= BATCH:
            Comment.objects.bulk_update(changed, ["html"])
            changed = []
    if changed:
        Comment.objects.bulk_update(changed, ["html"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_comment_dedupe_key_and_counted_reports"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
