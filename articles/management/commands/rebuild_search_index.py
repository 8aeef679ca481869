from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from articles.models import Article
from articles.search import article_search_document, search_vector_expression, uses_postgres


class Command(BaseCommand):
    help = (
        "Recompute the search document of every article whose document is stale (and its "
        "tsvector on PostgreSQL). Run it after bulk writes that bypass Article.save(), such "
        "as imports, bulk_create() or QuerySet.update()."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the stale documents, write nothing."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        postgres = uses_postgres()
        queryset = (
            Article.objects.only("id", "title", "lead", "body", "search_document", "section__name")
            .select_related("section")
            .prefetch_related("tags")
            .annotate(
                vector_missing=ExpressionWrapper(
                    Q(search_vector__isnull=True), output_field=BooleanField()
                )
            )
            .order_by("pk")
        )
        total = stale = 0
        batch = []
        for article in queryset.iterator(chunk_size=batch_size):
            total += 1
            document = article_search_document(article)
            if document == article.search_document and not (postgres and article.vector_missing):
                continue
            stale += 1
            article.search_document = document
            batch.append(article)
            if len(batch) >= batch_size:
                self._write(batch, postgres, dry_run)
                batch = []
        self._write(batch, postgres, dry_run)
        if dry_run:
            self.stdout.write(f"{stale} of {total} search documents are stale (dry run).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Rebuilt the search index: {stale} of {total} documents updated."
                )
            )

    @staticmethod
    def _write(batch, postgres, dry_run):
        # One short transaction per batch: a rebuild on a live site never holds
        # locks on the whole table while editors are saving.
        if not batch or dry_run:
            return
        with transaction.atomic():
            Article.objects.bulk_update(batch, ["search_document"])
            if postgres:
                Article.objects.filter(pk__in=[a.pk for a in batch]).update(
                    search_vector=search_vector_expression()
                )
