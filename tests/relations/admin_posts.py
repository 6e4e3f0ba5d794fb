"""What the admin's add and change forms post, for tests that drive the real admin views."""

from django.urls import reverse


def admin_url(model, action, *args):
    return reverse(f"admin:relations_{model._meta.model_name}_{action}", args=args)


def management_form(prefix, *, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def errors_of(response):
    """Return every error message on an admin change form: the form's and its inlines'."""
    return [message for errors in response.context["errors"] for message in errors]


def region_data(**overrides):
    data = {
        "name_en": "Zhejiang Province",
        "slug": "zhejiang",
        "country": "CN",
        "kind": "province",
        "population": "",
        "area_km2": "",
        "latitude": "",
        "longitude": "",
        "website": "",
    }
    return {**data, **overrides}


def partnership_data(*, home, partner, agreements=0, **overrides):
    data = {
        "home_region": str(home.pk),
        "partner_region": str(partner.pk),
        "slug": "",
        "status": "active",
        "status_changed_on": "",
        **management_form("agreements", total=agreements, initial=agreements),
    }
    return {**data, **overrides}


def agreement_data(*, partnership, participations=(), initial=0, **overrides):
    """Return the add/change POST of an agreement; `participations` are dicts of inline rows."""
    data = {
        "partnership": str(partnership.pk),
        "kind": "cooperation",
        "status": "in_force",
        "title_en": "Agreement on cooperation",
        "signed_on": "2024-06-19",
        "signed_on_precision": "day",
        "valid_until": "",
        "council_approved_on": "",
        "source_url": "",
        **management_form("participations", total=len(participations), initial=initial),
    }
    for index, row in enumerate(participations):
        for name, value in row.items():
            data[f"participations-{index}-{name}"] = value
    return {**data, **overrides}


def exchange_data(*, partnership, **overrides):
    data = {
        "partnership": str(partnership.pk),
        "kind": "delegation_visit",
        "direction": "outbound",
        "title_en": "Delegation visit",
        "starts_on": "",
        "starts_on_precision": "day",
        "ends_on": "",
        "ends_on_precision": "day",
        "participants": "",
    }
    return {**data, **overrides}


def working_group_data(*, partnership, members=(), meetings=0, **overrides):
    data = {
        "partnership": str(partnership.pk),
        "name_en": "Working group on trade",
        "status": "planned",
        "established_on": "",
        "established_on_precision": "day",
        **management_form("members", total=len(members)),
        **management_form("meetings", total=meetings),
    }
    for index, row in enumerate(members):
        for name, value in row.items():
            data[f"members-{index}-{name}"] = value
    return {**data, **overrides}
