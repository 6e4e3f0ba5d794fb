"""get_FOO_display() without rebuilding the field's choices on every call."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class QuickDisplay:
    """A model mixin: get_FOO_display() looks the value up in a mapping made once per field.

    Django's own builds a dict of every choice on each call, hashing each lazy label, which
    translates it: a list of 20 agreements translated 300 labels to show 40 (bench/pages.py).
    The labels stay lazy, so each is still shown in the language of the request.
    """

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_labels_by_value")
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            field._labels_by_value = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
