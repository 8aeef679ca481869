from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django_prose_editor.fields import ProseEditorField

from .images import FORMAT_EXTENSIONS, image_format
from .sanitize import clean_html

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "History": True,
}


class SanitizedHTMLField(ProseEditorField):
    """Rich text edited with ProseMirror, sanitized on every save.

    The form cleans what the editor sends; ``pre_save`` cleans again so that
    writes that never see a form (the ORM, commands, imports) obey the same
    allow-list.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs["sanitize"] = clean_html
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class RenamedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # The uploader's name says nothing true: only the extension of the format Pillow
        # reads in the bytes is kept (the field's upload_to adds a random name to it).
        extension = FORMAT_EXTENSIONS.get(image_format(content) or "", "bin")
        super().save(f"image.{extension}", content, save)


class RenamedImageField(models.ImageField):
    """An image stored under a random name with the extension of its real format
    (``poly.php.jpg`` or ``x.pdf`` never reach the media folder under those names)."""

    attr_class = RenamedImageFieldFile
