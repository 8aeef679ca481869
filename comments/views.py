import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import ArticleDetailView, published_article_or_404
from levant24.client_ip import client_ip

from . import services
from .forms import CommentForm
from .models import Comment, Status
from .selectors import comment_section_context, remember_own_comment

logger = logging.getLogger(__name__)


def _article_with_form(request, article, form, *, status=400):
    """The article page again, with the reader's form, its errors and everything typed."""
    view = ArticleDetailView()
    view.setup(request, pk=article.pk, slug=article.slug)
    view.object = article
    context = view.get_context_data(object=article)
    context.update(comment_section_context(article=article, request=request, form=form))
    return view.render_to_response(context, status=status)


def keep_text_when_database_is_down(view):
    """A comment posted while the database is unreachable is refused with a 503 page that
    gives the reader their text back in a form to send again: never accepted, then lost."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # the form page again: render it here, inside the guard
            return response
        except (OperationalError, InterfaceError) as exc:
            logger.error("comment not saved: database unavailable error=%s", exc)
            post = request.POST
            context = {
                "action": request.path,
                "csrf_token": get_token(request),
                **{key: post.get(key, "") for key in ("text", "name", "email", "website")},
                "parent": post.get("parent", "")[:20],
            }
            # Rendered without the request: no context processor may touch the database.
            html = loader.get_template("comments/comment_unavailable.html").render(context)
            response = HttpResponse(html, status=503)
            response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
            patch_cache_control(response, no_cache=True, no_store=True)
            return response

    return wrapper


@require_POST
@keep_text_when_database_is_down
def post_comment(request, article_id):
    article = published_article_or_404(request, article_id)
    form = CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        return _article_with_form(request, article, form)
    data = form.cleaned_data
    parent = None
    if data["parent"]:
        parent = Comment.objects.filter(pk=data["parent"], article=article).first()
        if parent is None:
            form.add_error(None, _("The comment you are replying to is not available."))
            return _article_with_form(request, article, form)
    try:
        comment = services.comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            text=data["text"],
            website=data["website"],
            parent=parent,
            user=request.user,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            honeypot=data["homepage"],
            trust_token=request.COOKIES.get(services.TRUST_COOKIE, ""),
        )
    except services.CommentRefused as refusal:
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.message)
        return _article_with_form(request, article, form)

    if comment.status == Status.REJECTED:
        form.add_error(
            "text",
            _("Your comment contains words that are not allowed here. Please edit it."),
        )
        return _article_with_form(request, article, form)
    response = HttpResponseRedirect(f"{article.get_absolute_url()}#comment-{comment.pk}")
    if comment.status == Status.PENDING:
        remember_own_comment(request, response, comment)
    set_trust_cookie(request, response, comment)
    # One message whatever happened to the comment: it tells nothing about the email typed.
    messages.success(request, services.THANK_YOU_MESSAGE)
    return response


def set_trust_cookie(request, response, comment) -> None:
    """Lets this browser prove later that it wrote ``comment`` (comments.services)."""
    post_path = reverse("comments:post", kwargs={"article_id": comment.article_id})
    response.set_cookie(
        services.TRUST_COOKIE,
        services.commenter_trust_token(
            comment=comment, previous=request.COOKIES.get(services.TRUST_COOKIE, "")
        ),
        max_age=services.TRUST_MAX_AGE,
        # Sent back to the comment URLs only: public pages stay the same for every reader.
        path=post_path[: post_path.index("post/")],
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def report_comment(request, pk):
    public = Comment.objects.approved().filter(article__in=Article.objects.published())
    comment = get_object_or_404(public.select_related("article"), pk=pk)
    if not request.session.session_key:
        request.session.save()
    created = services.comment_report(
        comment=comment,
        user=request.user,
        session_key=request.session.session_key or "",
        ip_address=client_ip(request),
    )
    if created:
        messages.success(request, _("Thank you. The moderators will review this comment."))
    else:
        messages.info(request, _("You have already reported this comment."))
    return HttpResponseRedirect(f"{comment.article.get_absolute_url()}#comment-{comment.pk}")
