"""Dates known only to the year or the month, and how they read in each language."""

import datetime
import functools
from dataclasses import dataclass

from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class Precision(models.TextChoices):
    YEAR = "year", gettext_lazy("year")
    MONTH = "month", gettext_lazy("month")
    DAY = "day", gettext_lazy("day")


_FORMAT_OF_PRECISION = {
    Precision.YEAR: "YEAR_FORMAT",
    Precision.MONTH: "YEAR_MONTH_FORMAT",
    Precision.DAY: "DATE_FORMAT",
}
_ISO_LENGTH_OF_PRECISION = {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}


def normalize(date, precision):
    """Return the date with the parts finer than its precision set to 1."""
    if date is None:
        return None
    if precision == Precision.YEAR:
        return date.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return date.replace(day=1)
    return date


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day; `date` None means not recorded."""

    date: datetime.date | None
    precision: str = Precision.DAY

    @classmethod
    def of(cls, instance, field_name):
        return cls(getattr(instance, field_name), getattr(instance, f"{field_name}_precision"))

    @classmethod
    def parse(cls, text):
        """Read `2011`, `2024-06` or `2024-06-19`; raise ValueError on anything else."""
        text = text.strip()
        for precision, length in _ISO_LENGTH_OF_PRECISION.items():
            if len(text) == length:
                padded = text + "-01-01"[: 10 - length]
                return cls(datetime.date.fromisoformat(padded), precision)
        raise ValueError(f"not a partial date: {text!r}")

    @property
    def is_known(self):
        return self.date is not None

    @property
    def year(self):
        return self.date.year if self.date else None

    def isoformat(self):
        """Return ISO 8601 at the date's precision (`2011`, `2024-06`), or ''."""
        if self.date is None:
            return ""
        return self.date.isoformat()[: _ISO_LENGTH_OF_PRECISION[self.precision]]

    def sort_key(self):
        """Order by date; unknown dates last."""
        return (self.date is None, self.date or datetime.date.max)

    def __str__(self):
        if self.date is None:
            return _("date not recorded")
        return _formatted(self.date, self.precision, get_language())


@functools.lru_cache(maxsize=4096)
def _formatted(date, precision, language):
    """Return the date as the language writes it at this precision; made once, as a
    partnership's timeline shows the same dates many times over."""
    return formats.date_format(date, _FORMAT_OF_PRECISION[precision])
