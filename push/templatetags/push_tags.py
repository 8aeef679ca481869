from django import template

register = template.Library()


@register.inclusion_tag("admin/push/desk_panel.html")
def push_desk_panel():
    """Push counts for the live desk (articles' template calls this; articles never imports
    push)."""
    from push.selectors import desk_counts

    return desk_counts()
