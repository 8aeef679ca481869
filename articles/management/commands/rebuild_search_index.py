from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from articles.search import build_search_document, search_vector_expression, uses_postgres


class Command(BaseCommand):
    help = (
        "Recompute the search document of every article (and its tsvector on PostgreSQL). "
        "Run it after bulk writes that bypass Article.save(), such as imports or "
        "QuerySet.update()."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the stale documents, write nothing."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        stale = 0
        total = 0
        batch = []
        queryset = Article.objects.only("id", "title", "lead", "body", "search_document")
        with transaction.atomic():
            for article in queryset.order_by("pk").iterator(chunk_size=batch_size):
                total += 1
                document = build_search_document(
                    title=article.title, lead=article.lead, body_html=article.body
                )
                if document == article.search_document:
                    continue
                stale += 1
                article.search_document = document
                batch.append(article)
                if len(batch) >= batch_size and not dry_run:
                    Article.objects.bulk_update(batch, ["search_document"])
                    batch = []
            if dry_run:
                self.stdout.write(f"{stale} of {total} search documents are stale (dry run).")
                transaction.set_rollback(True)
                return
            if batch:
                Article.objects.bulk_update(batch, ["search_document"])
            if uses_postgres():
                Article.objects.update(search_vector=search_vector_expression())
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt the search index: {stale} of {total} documents updated.")
        )
