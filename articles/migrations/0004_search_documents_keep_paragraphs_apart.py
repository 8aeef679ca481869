"""Search documents once glued the last word of a paragraph to the first word of the next
(a body's tags were dropped without a space): rebuild the documents that change."""

from django.db import migrations


def rebuild_changed_documents(apps, schema_editor):
    """Superseded: migration 0006 rebuilds every document with the current analyzer."""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_search_document"),
    ]

    operations = [
        migrations.RunPython(rebuild_changed_documents, migrations.RunPython.noop),
    ]
