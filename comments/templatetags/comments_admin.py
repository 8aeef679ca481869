"""The pending-comments count for admin pages: ``{% load comments_admin %}{% pending_comments_count %}``."""

from django import template
from django.urls import reverse

from comments.models import Comment, Status

register = template.Library()


@register.inclusion_tag("comments/admin/pending_count.html", takes_context=True)
def pending_comments_count(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("comments.view_comment"):
        return {"show": False}
    return {
        "show": True,
        "count": Comment.objects.pending().count(),
        "url": reverse("admin:comments_comment_changelist") + f"?status={Status.PENDING}",
    }
