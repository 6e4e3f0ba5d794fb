"""What each kind of record contributes to the search: its fields, in every language.

Agreement.internal_notes is never public and so never searched. A partnership is found by its
partner region's name too: renaming the region changes what finds the partnership, and the
triggers rewrite its text (`Source.follows`).
"""

from dataclasses import dataclass, field

from django.db.models import F
from modeltranslation.utils import build_localized_fieldname

from core.bulk import plain_queryset
from core.i18n import LANGUAGE_CODES
from news.models import Article
from relations.models import Agreement, Partnership, Region

from . import backends
from .models import AgreementSearchText, ArticleSearchText, PartnershipSearchText, RegionSearchText


@dataclass(frozen=True)
class Source:
    """A kind of record, the fields searched in it, and the table of its searched text.

    `fields` may follow a relation (`partner_region__name`); `follows` maps each model such a
    field reads to the relation from this model to it. `copied` are columns the text table
    keeps for the order of the hits.
    """

    model: type
    fields: tuple
    table: type
    copied: tuple = ()
    follows: dict = field(default_factory=dict)

    def columns(self):
        return [
            F(build_localized_fieldname(name, code))
            for name in self.fields
            for code in LANGUAGE_CODES
        ]

    def texts(self, records=None):
        """Return (pk, *copied, text) of each record (all when None): the text table's rows.

        `records` is a queryset of this source's model, filtered to the records wanted.
        """
        records = self.model._base_manager.all() if records is None else records
        # Annotations only, in this order: the SELECT must list the columns as the INSERT does.
        columns = {"search_record": F("pk")}
        columns.update({f"search_{name}": F(name) for name in self.copied})
        columns["search_text"] = backends.search_text(*self.columns())
        return plain_queryset(records).order_by().annotate(**columns).values_list(*columns)

    def table_columns(self):
        return ["record_id", *self.copied, "text"]


SOURCES = {
    "news": Source(
        Article, ("title", "summary", "body"), ArticleSearchText, copied=("status", "publish_at")
    ),
    "partnerships": Source(
        Partnership,
        ("summary", "partner_region__name"),
        PartnershipSearchText,
        follows={Region: "partner_region"},
    ),
    "regions": Source(Region, ("name", "description"), RegionSearchText),
    "agreements": Source(
        Agreement, ("title", "summary", "venue"), AgreementSearchText, copied=("signed_on",)
    ),
}
