from django import template

from backoffice.dashboard import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard(context):
    """`{% dashboard as lists %}`: the admin home's lists that the user may see."""
    return dashboard_for(user=context["request"].user)
