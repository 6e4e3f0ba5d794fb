"""Fields shared by the models of this app."""

from django.db import models

from core.partial_dates import Precision


def precision_field(verbose_name):
    """Return the field that says how much of a partial date is known (year, month, day)."""
    return models.CharField(
        verbose_name, max_length=5, choices=Precision.choices, default=Precision.DAY
    )
