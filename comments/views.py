import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import ArticleDetailView, published_article_or_404
from core.links import link
from levant24.client_ip import client_ip

from . import services
from .forms import CommentForm
from .jinja import POSTED_PARAM
from .models import Comment, Status
from .selectors import own_pending_comments, remember_own_comment

logger = logging.getLogger(__name__)


def _article_with_form(request, article, form, *, status=400):
    """The article page again, with the reader's form, its errors and everything typed."""
    view = ArticleDetailView()
    view.setup(request, pk=article.pk, slug=article.slug)
    view.object = article
    context = view.get_context_data(object=article)
    context["comment_form"] = form
    return view.render_to_response(context, status=status)


def _csrf_refusal(request):
    """Django's own CSRF check, run by hand: ``None`` when the request passes.

    Shared pages carry no CSRF token (it would be one reader's token in every reader's
    copy); the page's script fetches one. A reader without JavaScript posts without it:
    instead of a bare 403 their form comes back, as typed, with a fresh token, to send
    again. Nothing is stored from a request that fails the check.
    """
    checker = CsrfViewMiddleware(lambda request: None)
    checker.process_request(request)
    return checker.process_view(request, _csrf_checked_view, (), {})


def _csrf_checked_view(request):  # what the check is run "for": a view that is not exempt
    raise AssertionError("never called")


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


@csrf_exempt  # checked below, so that a refusal gives the reader their text back
@require_POST
@keep_text_when_database_is_down
def post_comment(request, article_id):
    article = published_article_or_404(article_id)
    form = CommentForm(request.POST, user=request.user)
    if _csrf_refusal(request) is not None:
        # The typed values are shown again, with only this message.
        form.is_valid()
        form.errors.clear()
        form.add_error(
            None,
            _(
                "Your comment has not been sent yet: this page had expired. "
                "Check it and press “Post comment” again."
            ),
        )
        return _article_with_form(request, article, form, status=403)
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
    # The page after posting is the reader's own (their pending comment, the thank-you
    # message) and is never shared: the query string marks it.
    response = HttpResponseRedirect(
        f"{article.get_absolute_url()}?{POSTED_PARAM}={comment.pk}#comment-{comment.pk}"
    )
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


@csrf_exempt  # checked below: without JavaScript the reader confirms on a fresh page
@require_POST
def report_comment(request, pk):
    public = Comment.objects.approved().filter(article__in=Article.objects.published())
    comment = get_object_or_404(public.select_related("article"), pk=pk)
    if _csrf_refusal(request) is not None:
        response = render(request, "comments/report_confirm.jinja", {"comment": comment})
        response.status_code = 403
        return response
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


@never_cache
@require_GET
def reader_state(request):
    """What the shared pages leave out about the reader who views them, as JSON.

    Never cached by anyone (``private, no-store``): the reader's sign-in state and name,
    a CSRF token for the page's forms, what the comment form should be filled with, the
    reader's own comments still waiting for a moderator on ``?article=<id>``, and their
    messages. A reader's email address is only ever sent to that reader.
    """
    user = request.user
    data = {"user": None, "csrf_token": get_token(request), "comment_form": {}}
    if user.is_authenticated:
        data["user"] = {
            "name": user.public_name,
            "profile_url": link("accounts:profile"),
            "confirm_email_url": (
                link("accounts:confirm_email_resend")
                if not (user.email_confirmed or user.is_staff)
                else None
            ),
        }
        data["comment_form"] = {"name": user.public_name, "email": user.email}
    try:
        article_id = int(request.GET.get("article", ""))
    except ValueError:
        article_id = None
    data["pending"] = [
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "html": render_to_string("comments/comment_pending.html", {"comment": comment}),
        }
        for comment in (own_pending_comments(request, article_id=article_id) if article_id else [])
    ]
    data["messages"] = [
        {"level": message.tags, "text": str(message)} for message in messages.get_messages(request)
    ]
    return JsonResponse(data)
