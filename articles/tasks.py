"""Article work done off the request path: image renditions and search documents."""

from celery import shared_task
from django.core.files.storage import storages
from django.db.models.signals import post_save

from core.tasks import RETRY_POLICY, enqueue_after_commit

from . import images, services


@shared_task(**RETRY_POLICY)
def make_renditions(name: str) -> bool:
    """Every rendition of the uploaded image ``name`` (default storage)."""
    return images.renditions_make(storages["default"], name) is not None


@shared_task(**RETRY_POLICY)
def search_document_rebuild(article_id: int) -> bool:
    return services.article_search_document_rebuild(article_id=article_id)


# --- hooks: what queues the tasks ------------------------------------------------------------


def _image_fields(model):
    from django.db.models import ImageField

    return [f for f in model._meta.concrete_fields if isinstance(f, ImageField)]


def _queue_renditions(sender, instance, update_fields=None, **kwargs):
    # Any save that writes an image field without known renditions queues them: a form
    # upload, FieldFile.save(), or an older image saved again (the task keeps what exists).
    for field in _image_fields(sender):
        if update_fields is not None and field.attname not in update_fields:
            continue
        file = getattr(instance, field.attname)
        if file and file.name and images.renditions_wanted(file.name):
            enqueue_after_commit(make_renditions, file.name)


def _queue_search_document(sender, instance, raw=False, update_fields=None, **kwargs):
    from .models import SEARCHED_FIELDS

    if update_fields is not None and not {name.removesuffix("_id") for name in update_fields} & {
        name.removesuffix("_id") for name in SEARCHED_FIELDS
    }:
        return
    if raw or instance.text_changed:
        enqueue_after_commit(search_document_rebuild, instance.pk)
        instance._loaded_text = instance._text()


def connect_signals() -> None:
    """Renditions are queued by any save that writes an image, the search document by a
    save that changes the text or the section (tags: articles.search)."""
    from django.conf import settings

    from .models import KIND_PROXIES, Article

    for model in (Article, *KIND_PROXIES.values(), settings.AUTH_USER_MODEL):
        uid = f"articles.tasks.{model if isinstance(model, str) else model.__name__}"
        post_save.connect(_queue_renditions, sender=model, dispatch_uid=f"{uid}.renditions")
    for model in (Article, *KIND_PROXIES.values()):
        post_save.connect(
            _queue_search_document, sender=model, dispatch_uid=f"search.{model.__name__}"
        )
