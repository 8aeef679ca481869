"""One analyzer for search: documents hold the analyzer's terms (with tags and the section
name), and PostgreSQL builds the tsvector from them with no text search configuration,
so nothing stems the words a second time. Every existing document is rebuilt."""

from django.db import migrations

FUNCTION_SQL = (
    r"""
CREATE OR REPLACE FUNCTION search_tsvector(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- Lines: title (A), lead (B), body (C), tags and section (B). Each line starts at its own
  -- position so that a phrase never runs from one field into the next; every term of a
  -- word shares the word's position.
  SELECT coalesce(string_agg(
           '''' || t.term || ''':' || least(f.start_at + w.i, 16383) || f.weight, ' '
         ), '')::tsvector
  FROM unnest(string_to_array(document, E'\n')) WITH ORDINALITY AS l(line, n)
  JOIN (VALUES (1, 0, 'A'), (2, 500, 'B'), (3, 2000, 'C'), (4, 1000, 'B'))
       AS f(n, start_at, weight) USING (n)
  CROSS JOIN LATERAL unnest(string_to_array(l.line, ' ')) WITH ORDINALITY AS w(token, i)
  CROSS JOIN LATERAL unnest(string_to_array(btrim(w.token, '|'), '|')) AS t(term)
  WHERE t.term <> ''
$$
""",
    "DROP FUNCTION IF EXISTS search_tsvector(text)",
)
# The fuzzy fallback now compares the title and the lead.
TRIGRAM_INDEX_SQL = (
    "DROP INDEX IF EXISTS article_title_trgm_idx; "
    "CREATE INDEX article_heading_trgm_idx ON articles_article USING gin "
    "((split_part(search_document, E'\\n', 1) || ' ' || split_part(search_document, E'\\n', 2)) "
    "gin_trgm_ops)",
    "DROP INDEX IF EXISTS article_heading_trgm_idx; "
    "CREATE INDEX article_title_trgm_idx ON articles_article "
    "USING gin ((split_part(search_document, E'\\n', 1)) gin_trgm_ops)",
)


def _postgres_only(sql_forwards, sql_backwards):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql_forwards)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql_backwards)

    return migrations.RunPython(forwards, backwards, elidable=False)


def _tag_names(apps, db) -> dict[int, list[str]]:
    """Article id -> tag names, read through taggit's tables (historical models have no
    tag manager to ask)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    content_type = (
        ContentType.objects.using(db).filter(app_label="articles", model="article").first()
    )
    names: dict[int, list[str]] = {}
    if content_type is None:
        return names
    rows = TaggedItem.objects.using(db).filter(content_type=content_type)
    for object_id, name in rows.values_list("object_id", "tag__name"):
        names.setdefault(object_id, []).append(name)
    return names


def rebuild_documents(apps, schema_editor):
    from articles.search import build_search_document

    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"
    tags = _tag_names(apps, db)
    articles = (
        Article.objects.using(db)
        .select_related("section")
        .only("id", "title", "lead", "body", "section__name")
        .order_by("pk")
    )
    batch = []

    def write():
        Article.objects.using(db).bulk_update(batch, ["search_document"])
        batch.clear()

    for article in articles.iterator(chunk_size=500):
        article.search_document = build_search_document(
            title=article.title,
            lead=article.lead,
            body_html=article.body,
            tags=sorted(tags.get(article.pk, [])),
            section=article.section.name,
        )
        batch.append(article)
        if len(batch) >= 500:
            write()
    if batch:
        write()
    if postgres:
        schema_editor.execute(
            "UPDATE articles_article SET search_vector = search_tsvector(search_document)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_section_and_lead_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        _postgres_only(*FUNCTION_SQL),
        _postgres_only(*TRIGRAM_INDEX_SQL),
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop),
    ]
