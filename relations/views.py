from itertools import groupby

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, Prefetch, Q, Value, When, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from modeltranslation.utils import get_translation_fields

from core.concurrency import limit_concurrent_downloads
from core.filters import LookupFilter
from core.i18n import available_languages, choice_labels, fallback_sql, translated
from core.lookups import suggestions_response
from core.pagination import page_or_404

from .export import agreements_csv_response
from .export_xlsx import agreements_xlsx_response
from .filters import AgreementFilter, PartnershipFilter, RegionFilter, partner_countries
from .models import (
    Agreement,
    Participation,
    Partnership,
    Region,
    WorkingGroup,
    WorkingGroupMember,
)
from .services import partnership_level_history
from .timeline import partnership_timeline, timeline_pages, with_timeline

AGREEMENTS_PER_PAGE = 20
# A search counts its matches up to this many: every match of a word that nearly every
# agreement contains would be tested one by one, only to be counted.
SEARCH_COUNT_LIMIT = 1000  # fifty pages
PARTNERSHIPS_PER_PAGE = 50
REGIONS_PER_PAGE = 50
# What the region list shows of each region and partnership: not their long texts.
REGION_LIST_FIELDS = ("slug", "country", "kind", *get_translation_fields("name"))
PARTNERSHIP_LIST_FIELDS = (
    "partner_region",
    "slug",
    "status",
    "level",
    "began_on",
    "began_on_precision",
)
# The agreement list's filters that take one record of thousands, by parameter name.
LOOKUPS = {
    name: field.lookup
    for name, field in AgreementFilter.base_filters.items()
    if isinstance(field, LookupFilter)
}
MEMBER_ROLE_RANK = {role: rank for rank, role in enumerate(WorkingGroupMember.Role)}
ROLE_HEADINGS = {
    Participation.Role.SIGNATORY: _("Signatories"),
    Participation.Role.WITNESS: _("Witnesses"),
    Participation.Role.ATTENDEE: _("Attendees"),
}


def partnership_list(request):
    # By the partner's name in the visitor's language, or the next one it has: the order of
    # the regions' name index, which a page is read from rather than sorted.
    by_name = fallback_sql("partner_region__name", get_language())
    partnerships = Partnership.objects.select_related("partner_region").order_by(by_name, "pk")
    filterset = PartnershipFilter(request.GET, queryset=partnerships)
    ctx = {"filter": filterset, "page": page_or_404(request, filterset.qs, PARTNERSHIPS_PER_PAGE)}
    return render(request, "relations/partnership_list.html", ctx)


def partnership_detail(request, slug):
    partnerships = with_timeline(Partnership.objects.with_regions())
    partnership = get_object_or_404(partnerships, slug=slug)
    languages = available_languages(partnership, "summary") or available_languages(
        partnership.partner_region, "name"
    )
    ctx = {
        "partnership": partnership,
        "level_history": partnership_level_history(agreements=partnership.agreements.all()),
        "timeline_page": _timeline_page(request, partnership),
        "available_languages": languages,
    }
    return render(request, "relations/partnership_detail.html", ctx)


def _timeline_page(request, partnership):
    """Return the page of the partnership's timeline that `?timeline=` asks for, 1 (the
    newest years) by default; a page that does not exist is a 404."""
    pages = Paginator(timeline_pages(partnership_timeline(partnership=partnership)), 1)
    try:
        return pages.page(request.GET.get("timeline") or 1)
    except InvalidPage:
        raise Http404("No such page of the timeline.") from None


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.select_related("parent"), slug=slug)
    partnerships = (
        Partnership.objects.with_regions()
        .filter(Q(home_region=region) | Q(partner_region=region))
        .order_by(fallback_sql("partner_region__name", get_language()), "pk")
    )
    ctx = {
        "region": region,
        "page": page_or_404(request, partnerships, PARTNERSHIPS_PER_PAGE),
        "available_languages": available_languages(region, "name"),
    }
    return render(request, "relations/region_detail.html", ctx)


def region_list(request):
    """List the partner regions by country, each with its partnerships, a page at a time."""
    countries = partner_countries()
    filterset = RegionFilter(request.GET, queryset=Region.objects.partners(), countries=countries)
    count = _regions_counted(filterset, countries)
    page = page_or_404(request, filterset.qs, REGIONS_PER_PAGE, known_count=count)
    listed = page.object_list = _regions_of_page(filterset, page, countries)
    partnerships = Partnership.objects.only(*PARTNERSHIP_LIST_FIELDS).newest()
    prefetch_related_objects(
        listed, Prefetch("partnerships_as_partner", partnerships, to_attr="partnerships")
    )
    ctx = {
        "filter": filterset,
        "countries": countries,
        "page": page,
        "sections": _by_country(_labelled(listed), countries),
        "home_region": Region.objects.home().first(),
    }
    return render(request, "relations/region_list.html", ctx)


def _regions_of_page(filterset, page, countries):
    """Return the regions of the page, by country (in the order of `countries`), then name.

    Read from the countries the page spans only, known from their counts: a page of one
    country is read in the order of the regions' name index, where sorting the thousands of
    every country's regions by a rank and a name cost more than the rest of the page.
    Ended by the slug, unique: at most a few thousand rows, sliced as they are.
    """
    if not filterset.is_valid():
        return []
    wanted = filterset.form.cleaned_data["country"]
    bottom, top = (page.number - 1) * page.paginator.per_page, page.end_index()
    spanned, before, seen = [], 0, 0
    for code, name, count in countries:
        if wanted and code != wanted:
            continue
        if seen + count <= bottom:
            before = seen + count
        elif seen < top:
            spanned.append((code, name, count))
        seen += count
    by_name = (fallback_sql("name", get_language()), "slug")
    regions = filterset.qs.only(*REGION_LIST_FIELDS).filter(country__in=[c[0] for c in spanned])
    if len(spanned) > 1:
        regions = regions.order_by(_in_order_of(spanned), *by_name)
    else:
        regions = regions.order_by(*by_name)
    return list(regions[bottom - before : top - before])


def _regions_counted(filterset, countries):
    """Return how many regions the list holds, from the countries' counts: no query."""
    if not filterset.is_valid():
        return 0
    wanted = filterset.form.cleaned_data["country"]
    return sum(count for code, _name, count in countries if code == wanted or not wanted)


def _in_order_of(countries):
    """Return an expression that orders regions by their country's place in `countries`."""
    ranks = [When(country=code, then=Value(rank)) for rank, (code, *_rest) in enumerate(countries)]
    return Case(*ranks, default=Value(len(countries)))


def _labelled(regions):
    """Give the regions and their partnerships the labels of their kind, status and beginning."""
    kinds = choice_labels(Region.Kind)
    statuses = choice_labels(Partnership.Status)
    for region in regions:
        region.kind_label = kinds.get(region.kind, region.kind)
        for partnership in region.partnerships:
            partnership.status_label = statuses.get(partnership.status, partnership.status)
            partnership.since_label = _since(partnership)
    return regions


def _since(partnership):
    """Return "since <date>" for a partnership whose beginning is known, else "".

    Here, not a {% blocktranslate %} on each of a page's hundreds of partnerships.
    """
    if not partnership.began_on:
        return ""
    return pgettext("partnership began", "since %(date)s") % {"date": partnership.began}


def _by_country(regions, countries):
    """Return (ISO code, country name, regions) for each run of regions of one country."""
    names = {code: name for code, name, _count in countries}
    runs = groupby(regions, key=lambda region: region.country.code)
    return [(code, names.get(code, code), list(run)) for code, run in runs]


def working_group_detail(request, pk):
    groups = WorkingGroup.objects.select_related(
        "partnership__home_region", "partnership__partner_region"
    ).prefetch_related(
        "fields",
        Prefetch("members", queryset=WorkingGroupMember.objects.select_related("person")),
        "meetings",
    )
    group = get_object_or_404(groups, pk=pk)
    ctx = {
        "group": group,
        "mandate": translated(group, "mandate"),
        "members": _members(group),
        "available_languages": available_languages(group, "name"),
    }
    return render(request, "relations/working_group_detail.html", ctx)


def _members(group):
    """Return the group's members in the order of their roles, each with its role's label."""
    roles = choice_labels(WorkingGroupMember.Role)
    members = sorted(group.members.all(), key=_member_rank)
    for member in members:
        member.role_label = roles.get(member.role, member.role)
    return members


def _member_rank(member):
    """Chairs first, then co-chairs, members and the secretariat; each in the order added."""
    return (MEMBER_ROLE_RANK.get(member.role, len(MEMBER_ROLE_RANK)), member.pk)


def agreement_list(request):
    agreements = Agreement.objects.select_related("partnership__partner_region")
    filterset = AgreementFilter(request.GET, queryset=agreements)
    limit = SEARCH_COUNT_LIMIT if request.GET.get("q", "").strip() else None
    page = page_or_404(
        request,
        filterset.qs,
        AGREEMENTS_PER_PAGE,
        count_limit=limit,
        known_count=filterset.quick_count(),
    )
    return render(request, "relations/agreement_list.html", {"filter": filterset, "page": page})


@require_safe
def filter_suggestions(request, name):
    """Answer the records a filter's text may mean, as JSON, for the typeahead."""
    if name not in LOOKUPS:
        raise Http404("No such filter.")
    return suggestions_response(request, LOOKUPS[name])


# The CSV and the workbook share each visitor's download slots.
@limit_concurrent_downloads("agreement-export")
def agreement_export(request):
    """Stream the agreements the list shows with the same filters, all pages, as CSV."""
    return _export(request, agreements_csv_response)


@limit_concurrent_downloads("agreement-export")
def agreement_export_xlsx(request):
    """Send the agreements the list shows with the same filters, all pages, as a workbook."""
    return _export(request, agreements_xlsx_response)


def _export(request, respond):
    filterset = AgreementFilter(request.GET, queryset=Agreement.objects.all())
    if not filterset.is_valid():
        # A download cannot show the form; say what is wrong instead of sending an empty file.
        return HttpResponseBadRequest(
            _filter_errors_text(filterset.form), content_type="text/plain; charset=utf-8"
        )
    return respond(filterset.qs, language=get_language(), request=request)


def _filter_errors_text(form):
    lines = [str(_("The filters are not valid:"))]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            lines.append(f"- {label}: {error}" if label else f"- {error}")
    return "\n".join(lines) + "\n"


def agreement_detail(request, pk):
    agreements = Agreement.objects.select_related(
        "partnership__home_region", "partnership__partner_region"
    ).prefetch_related(
        "fields",
        Prefetch("participations", queryset=Participation.objects.select_related("person")),
    )
    agreement = get_object_or_404(agreements, pk=pk)
    commitments = translated(agreement, "key_commitments")
    participations = list(agreement.participations.all())
    ctx = {
        "agreement": agreement,
        "commitments": [line.strip() for line in commitments.text.splitlines() if line.strip()],
        "commitments_text": commitments,
        "participant_groups": _by_role(participations),
        "available_languages": available_languages(agreement, "title"),
    }
    return render(request, "relations/agreement_detail.html", ctx)


@require_safe
@limit_concurrent_downloads("agreement-document")
def agreement_document(request, pk):
    """Send the agreement's signed document as a download, never shown inline."""
    agreement = get_object_or_404(Agreement.objects.exclude(document=""), pk=pk)
    try:
        document = agreement.document.open("rb")
    except FileNotFoundError:
        raise Http404("The document file is missing.") from None
    title = slugify(translated(agreement, "title").text, allow_unicode=True)
    response = FileResponse(
        document,
        as_attachment=True,
        filename=f"{title or f'agreement-{agreement.pk}'}.pdf",
        content_type="application/pdf",
    )
    # SecurityMiddleware adds it too; said here so the download never depends on a setting.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _by_role(participations):
    """Return (heading, participations) for each role present, signatories first."""
    groups = []
    for role, heading in ROLE_HEADINGS.items():
        members = [p for p in participations if p.role == role]
        if members:
            groups.append((heading, members))
    return groups
