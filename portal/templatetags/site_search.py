from django import template

register = template.Library()


@register.filter
def choice_label(record, name):
    """`{{ region|choice_label:"kind" }}`: what get_kind_display() says, for a page of hits.

    get_FOO_display() hashes every label of the field's choices, and hashing a lazy label
    translates it: some fifty translations per record, most of a search page's time.
    """
    value = getattr(record, name)
    for choice, label in record._meta.get_field(name).flatchoices:
        if choice == value:
            return label
    return value
