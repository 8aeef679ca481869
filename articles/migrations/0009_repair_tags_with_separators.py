"""Tags saved before the Arabic separators were understood: "دمشق،" becomes "دمشق".

A tag whose name carries a separator or stray spaces at either end is renamed to its clean
name; when a tag of that name already exists, the articles move to it and the broken tag
goes away.
"""

from django.db import migrations
from django.utils.text import slugify

SEPARATORS = "،,؛;"
STRIP = f" \t\r\n\"'{SEPARATORS}"


def clean_name(name):
    return " ".join(name.strip(STRIP).split())


def unique_slug(Tag, name, exclude_pk):
    base = slugify(name, allow_unicode=True) or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}_{n}"
    return slug


def repair_tags(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    for tag in Tag.objects.order_by("pk"):
        name = clean_name(tag.name)
        if name == tag.name:
            continue
        if not name:
            # Nothing but separators: it never named anything.
            TaggedItem.objects.filter(tag=tag).delete()
            tag.delete()
            continue
        keeper = Tag.objects.filter(name=name).exclude(pk=tag.pk).first()
        if keeper is None:
            tag.name = name
            tag.slug = unique_slug(Tag, name, tag.pk)
            tag.save(update_fields=["name", "slug"])
            continue
        for item in TaggedItem.objects.filter(tag=tag):
            already = TaggedItem.objects.filter(
                tag=keeper, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if already:
                item.delete()
            else:
                item.tag = keeper
                item.save(update_fields=["tag"])
        tag.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_workflow_news_social_image_version_tags"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair_tags, migrations.RunPython.noop)]
