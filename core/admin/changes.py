"""What counts as a change in an admin form: what a person changed, nothing else.

A save that changes nothing writes nothing, so that the history and the log list only real
changes (core.admin.history). Two kinds of form value differ from the stored one without
anyone having changed anything:

- a hidden field that carries a check rather than data (the edit-conflict token, the
  pending-change stamp) is new on every opening of the form;
- a text area comes back from a browser with "\\r\\n" line ends, and without the blank space
  at its ends, where the stored text may have "\\n" and a trailing line end (the demo data):
  text that reads the same is unchanged, and keeps its stored form (StoredTextForm).
"""

from django import forms
from django.db import models


class HiddenCheckField(forms.CharField):
    """A hidden value that a form checks on save: never a change of the record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, label="", **kwargs)

    def has_changed(self, initial, data):
        return False


class MultilineTextField(forms.CharField):
    """A text area's text, with "\\n" line ends whatever the browser sent."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text

    def has_changed(self, initial, data):
        # Text that reads the same is the same, whatever its line ends or blank ends.
        if self.disabled:
            return False
        return (self.to_python(initial) or "") != (self.to_python(data) or "")


# For an admin's formfield_overrides: every text area of the model's form.
TEXT_AREAS = {models.TextField: {"form_class": MultilineTextField}}


class StoredTextForm(forms.Form):
    """Keep the stored text of a text area that reads the same, so that nothing downstream (a
    pending change, the translations' revisions) sees a change that nobody made."""

    def clean(self):
        cleaned_data = super().clean()
        if getattr(getattr(self, "instance", None), "pk", None) is None:
            return cleaned_data  # a new record: nothing is stored yet
        for name, field in self.fields.items():
            unchanged = name in cleaned_data and name not in self.changed_data
            if isinstance(field, MultilineTextField) and unchanged:
                cleaned_data[name] = self[name].initial
        return cleaned_data
