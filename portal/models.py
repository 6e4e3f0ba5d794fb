"""The portal's models: the site search's text tables, which live with the search."""

from .search.models import (  # noqa: F401
    AgreementSearchText,
    ArticleSearchText,
    PartnershipSearchText,
    RegionSearchText,
)
