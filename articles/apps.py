from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        import reversion
        from reversion.signals import post_revision_commit

        from . import edge, months, revisions, search, tasks
        from .models import KIND_PROXIES, Article

        # Every saved version of an article is kept; the kind proxies share
        # the article's content type, so their versions are the article's.
        for model in (Article, *KIND_PROXIES.values()):
            if not reversion.is_registered(model):
                # The search columns are derived from the text: not worth a copy per version.
                reversion.register(model, exclude=("search_document", "search_vector"))

        edge.connect_signals()
        search.connect_signals()
        months.install()
        post_revision_commit.connect(revisions.record_tags, dispatch_uid="articles_record_tags")
        tasks.connect_signals()
