"""Images inside the article body: uploaded through the editor's image dialog.

The editor (django-prose-editor's Figure extension) opens this page in a small
window; after a valid upload the page hands the file's URL back to the dialog.
Files are checked like every other upload (``validate_image_upload``), stored
under a random name with the extension of their real format, and the body that
refers to them is still sanitized on save.
"""

import uuid

from django import forms
from django.core.files.storage import default_storage
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .images import validate_image_upload

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class BodyImageForm(forms.Form):
    image = forms.ImageField(label=_("image"), validators=[validate_image_upload])
    func = forms.IntegerField(widget=forms.HiddenInput, required=False)


def body_image_store(*, upload) -> str:
    """Save an already validated image and return its public URL."""
    upload.seek(0)
    with Image.open(upload) as img:
        extension = EXTENSIONS[img.format]
    upload.seek(0)
    name = f"articles/body/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    return default_storage.url(default_storage.save(name, upload))


def body_image_view(request, *, model_admin):
    func = request.GET.get("CKEditorFuncNum") or request.POST.get("func") or ""
    url = ""
    if request.method == "POST":
        form = BodyImageForm(request.POST, request.FILES)
        if form.is_valid():
            url = body_image_store(upload=form.cleaned_data["image"])
    else:
        form = BodyImageForm(initial={"func": func})
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Upload an image for the article body"),
        "form": form,
        "image_url": url,
        "func": func,
        "is_popup": True,
    }
    return TemplateResponse(request, "admin/articles/article/body_image.html", context)
