"""What each kind of record contributes to the search: its fields, in every language.

Agreement.internal_notes is never public and so never searched. A partnership is found by its
partner region's name too, and an article by the names of the partnerships and regions it is
linked to: renaming the region, or changing the links, changes what finds them, and the
triggers rewrite their text (`Source.followed`, `Source.link_columns`).

A partnership's name is its partner region's name, as the site shows it.
"""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from modeltranslation.utils import build_localized_fieldname

from core.bulk import plain_queryset
from core.i18n import LANGUAGE_CODES
from news.models import Article
from relations.models import Agreement, Partnership, Region

from . import backends
from .models import AgreementSearchText, ArticleSearchText, PartnershipSearchText, RegionSearchText


def _localized(path):
    """Return the path's column in every language: `regions__name` -> `regions__name_en`, ..."""
    return [F(build_localized_fieldname(path, code)) for code in LANGUAGE_CODES]


@dataclass(frozen=True)
class Source:
    """A kind of record, the fields searched in it, and the table of its searched text.

    `fields` may follow a foreign key (`partner_region__name`); `linked` are fields of the
    records linked through a many-to-many field (`regions__name`: the name of every region
    linked). `copied` are columns the text table keeps for the order of the hits.
    """

    model: type
    fields: tuple
    table: type
    copied: tuple = ()
    linked: tuple = ()

    @property
    def searched(self):
        """The searched fields as lookups from the model, many-to-many ones included."""
        return self.fields + self.linked

    def columns(self):
        own = [column for name in self.fields for column in _localized(name)]
        return own + [self._linked_texts(path) for path in self.linked]

    def _linked_texts(self, path):
        """Return a subquery of the path's text in every language, of every linked record."""
        name, field = path.split("__", 1)
        relation = self.model._meta.get_field(name)
        back = relation.related_query_name()
        texts = (
            plain_queryset(relation.related_model._base_manager.filter(**{back: OuterRef("pk")}))
            .order_by()
            .values(back)
            .annotate(texts=backends.Lines(backends.Joined(*_localized(field))))
            .values("texts")
        )
        return Subquery(texts)

    def followed(self):
        """Return {model: [lookup from this model to it]} for each other model whose fields
        are searched: a write to its rows changes the text of the records that reach them."""
        followed = {}
        for path in self.searched:
            model, steps = self.model, path.split("__")
            for depth, step in enumerate(steps[:-1], start=1):
                model = model._meta.get_field(step).related_model
                followed.setdefault(model, []).append("__".join(steps[:depth]))
        return followed

    def read_columns(self):
        """Return {model: {column}} of every column this source's text and copied values are
        made of: an update that changes none of them changes no text."""
        read = {}
        paths = [(path, True) for path in self.searched] + [(n, False) for n in self.copied]
        for path, localized in paths:
            model, *steps, last = [self.model, *path.split("__")]
            for step in steps:
                field = model._meta.get_field(step)
                if field.many_to_one:
                    read.setdefault(model, set()).add(field.column)
                model = field.related_model
            names = [last]
            if localized:
                names = [build_localized_fieldname(last, code) for code in LANGUAGE_CODES]
            read.setdefault(model, set()).update(model._meta.get_field(n).column for n in names)
        return read

    def link_columns(self):
        """Return {link table's model: its column naming this model's record} for each
        many-to-many field searched: adding or removing a link changes the record's text."""
        columns = {}
        for path in self.linked:
            relation = self.model._meta.get_field(path.split("__", 1)[0])
            through = relation.remote_field.through
            columns[through] = through._meta.get_field(relation.m2m_field_name()).column
        return columns

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
        Article,
        ("title", "summary", "body"),
        ArticleSearchText,
        copied=("status", "publish_at"),
        linked=("partnerships__partner_region__name", "regions__name"),
    ),
    "partnerships": Source(
        Partnership, ("summary", "partner_region__name"), PartnershipSearchText
    ),
    "regions": Source(Region, ("name", "description"), RegionSearchText),
    "agreements": Source(
        Agreement, ("title", "summary", "venue"), AgreementSearchText, copied=("signed_on",)
    ),
}
