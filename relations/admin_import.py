"""The admin's CSV import of agreements: upload, a preview of every change, then confirm.

The uploaded file is kept under var/imports (never in MEDIA, which may be served) under
a random token that only the uploader's session knows; confirming checks it again.
"""

import re
import secrets
import time
from functools import update_wrapper
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import csv_format
from .importing import MAX_BYTES, agreement_import, too_large_message

SESSION_KEY = "relations_agreement_imports"
KEPT_PER_SESSION = 5
PREVIEW_ROWS = 500  # rows whose changes the preview lists; every error is listed
STALE_AFTER_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 CSV with a header row, as the CSV export writes it, at most 10 MB. "
            "Nothing is written before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload


def import_dir():
    return Path(settings.BASE_DIR) / "var" / "imports"


def urls(model_admin):
    """Return the import's URL patterns for the agreement admin's get_urls()."""
    info = _info(model_admin)

    def view(function):
        def wrapper(request, **kwargs):
            return function(request, model_admin, **kwargs)

        return model_admin.admin_site.admin_view(update_wrapper(wrapper, function))

    return [
        path("import/", view(import_upload), name=f"{info}_import"),
        path("import/<slug:token>/", view(import_preview), name=f"{info}_import_preview"),
    ]


def _check_permission(request, model_admin):
    """Importing creates and changes agreements: it needs both permissions."""
    allowed = model_admin.has_add_permission(request) and model_admin.has_change_permission(
        request
    )
    if not allowed:
        raise PermissionDenied


def _context(request, model_admin, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "columns": csv_format.COLUMNS,
        **extra,
    }


def import_upload(request, model_admin):
    _check_permission(request, model_admin)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _keep(request, form.cleaned_data["file"])
        return redirect(_preview_url(model_admin, token))
    context = _context(request, model_admin, form=form, title=_("Import agreements from CSV"))
    return TemplateResponse(request, "admin/relations/agreement/import_upload.html", context)


def import_preview(request, model_admin, token):
    """Show what the kept file would change (GET), or write it (POST)."""
    _check_permission(request, model_admin)
    stored = _stored(request, token)
    confirm = request.method == "POST"
    with stored.open("rb") as file:
        report = agreement_import(
            file=file, dry_run=not confirm, user=request.user, keep_planned=PREVIEW_ROWS
        )
    if confirm and report.ok:
        _forget(request, token)
        messages.success(request, _done_message(report))
        return redirect(reverse(f"admin:{_info(model_admin)}_changelist"))
    context = _context(
        request,
        model_admin,
        report=report,
        planned=report.planned,
        not_shown=max(report.changing - len(report.planned), 0),
        title=_("Check the import"),
        upload_url=reverse(f"admin:{_info(model_admin)}_import"),
    )
    return TemplateResponse(request, "admin/relations/agreement/import_preview.html", context)


def _info(model_admin):
    return f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"


def _preview_url(model_admin, token):
    return reverse(f"admin:{_info(model_admin)}_import_preview", kwargs={"token": token})


def _done_message(report):
    return _(
        "The import is done: %(created)s agreements created, %(updated)s updated, "
        "%(unchanged)s unchanged."
    ) % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}


def _keep(request, upload):
    """Store the upload under a new token that this session remembers; return the token."""
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    token = secrets.token_urlsafe(24)
    with (directory / f"{token}.csv").open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    tokens = [*request.session.get(SESSION_KEY, []), token]
    for old in tokens[:-KEPT_PER_SESSION]:
        (directory / f"{old}.csv").unlink(missing_ok=True)
    request.session[SESSION_KEY] = tokens[-KEPT_PER_SESSION:]
    return token


def _stored(request, token):
    if not TOKEN.match(token) or token not in request.session.get(SESSION_KEY, []):
        raise Http404
    stored = import_dir() / f"{token}.csv"
    if not stored.is_file():
        raise Http404
    return stored


def _forget(request, token):
    (import_dir() / f"{token}.csv").unlink(missing_ok=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def _remove_stale(directory):
    """Delete uploads that were never confirmed, a day after they were made."""
    limit = time.time() - STALE_AFTER_SECONDS
    for stored in directory.glob("*.csv"):
        if stored.stat().st_mtime < limit:
            stored.unlink(missing_ok=True)
