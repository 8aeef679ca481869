"""Search documents once glued the last word of a paragraph to the first word of the next
(a body's tags were dropped without a space): rebuild the documents that change."""

from django.db import migrations


def rebuild_changed_documents(apps, schema_editor):
    from articles.search import build_search_document, search_vector_expression

    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"
    articles = Article.objects.using(db).only("id", "title", "lead", "body", "search_document")
    batch = []

    def write():
        Article.objects.using(db).bulk_update(batch, ["search_document"])
        if postgres:
            Article.objects.using(db).filter(pk__in=[a.pk for a in batch]).update(
                search_vector=search_vector_expression()
            )
        batch.clear()

    for article in articles.order_by("pk").iterator(chunk_size=500):
        document = build_search_document(
            title=article.title, lead=article.lead, body_html=article.body
        )
        if document != article.search_document:
            article.search_document = document
            batch.append(article)
            if len(batch) >= 500:
                write()
    if batch:
        write()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_search_document"),
    ]

    operations = [
        migrations.RunPython(rebuild_changed_documents, migrations.RunPython.noop),
    ]
