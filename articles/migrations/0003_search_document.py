import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

SEARCH_INDEX_SQL = (
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)",
    "DROP INDEX IF EXISTS article_search_idx",
)
# Without a bigger sample the planner misjudges common words and walks the date
# index backwards instead of using the GIN index.
STATISTICS_SQL = (
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 1000",
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS -1",
)
# Trigram index over the stemmed title line, for near-miss spellings.
TRIGRAM_INDEX_SQL = (
    "CREATE INDEX article_title_trgm_idx ON articles_article "
    "USING gin ((split_part(search_document, E'\\n', 1)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS article_title_trgm_idx",
)


class TrigramExtensionOnPostgres(TrigramExtension):
    """Django checks the vendor going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _postgres_only(sql_forwards, sql_backwards):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql_forwards)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql_backwards)

    return migrations.RunPython(forwards, backwards, elidable=False)


def fill_search_documents(apps, schema_editor):
    """Superseded: migration 0006 rebuilds every document with the current analyzer (this
    step once called code that no longer builds the same document)."""


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_kind_proxies_and_publish_permission"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="article",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="article_search_idx"
                    ),
                ),
            ],
            database_operations=[_postgres_only(*SEARCH_INDEX_SQL)],
        ),
        _postgres_only(*STATISTICS_SQL),
        _postgres_only(*TRIGRAM_INDEX_SQL),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
    ]
