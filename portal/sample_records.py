"""The values of generate_sample_data's agreements, signatories and exchanges, drawn from a
random generator in the shares of portal.sample_texts.
"""

import datetime

from core.partial_dates import Precision, normalize
from portal.demo_data import T, translations
from portal.sample_texts import (
    AGREEMENT_KINDS,
    EXCHANGE_KINDS,
    FIRST_DAY,
    HOME_TITLES,
    LAST_DAY,
    ORDINARY_KINDS,
    ORDINARY_WEIGHTS,
    PRECISIONS,
    STATUSES,
)
from relations.models import Agreement, Exchange, Level, Participation, Side


class SampleRecords:
    """Agreements and exchanges of the partnerships, their choices drawn from `rng`."""

    def __init__(self, rng, fields):
        self.rng, self.fields = rng, fields

    def agreement_plan(self, partnerships, total):
        """Return (partnership, kind) for every agreement to create.

        Each partnership aims at a level: half stay at cooperation, 30% reach friendship, 20%
        sisterhood (after a friendship agreement). Every partnership gets at least one
        agreement; the rest are ordinary kinds spread at random.
        """
        plan = []
        for partnership in partnerships:
            target = self.rng.choices(list(Level), weights=[50, 30, 20])[0]
            if target == Level.COOPERATION:
                plan.append((partnership, self.ordinary_kind()))
            else:
                plan.append((partnership, Agreement.Kind.FRIENDSHIP))
            if target == Level.SISTERHOOD:
                plan.append((partnership, Agreement.Kind.SISTERHOOD))
        for _ in range(total - len(plan)):
            plan.append((self.rng.choice(partnerships), self.ordinary_kind()))
        return plan

    def ordinary_kind(self):
        return self.rng.choices(ORDINARY_KINDS, weights=ORDINARY_WEIGHTS)[0]

    def partial_date(self, unknown_share=0.03):
        if self.rng.random() < unknown_share:
            return None, Precision.DAY
        day = FIRST_DAY + datetime.timedelta(
            days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1)
        )
        precision = self.rng.choice(PRECISIONS)
        return normalize(day, precision), precision

    def agreement(self, partnership, kind):
        """Return the column values of one agreement, and its first field."""
        signed_on, precision = self.partial_date()
        field = self.rng.choice(self.fields)
        label, region = AGREEMENT_KINDS[kind][0], partnership.partner_region
        status = Agreement.Status.IN_FORCE
        if kind not in (Agreement.Kind.FRIENDSHIP, Agreement.Kind.SISTERHOOD):
            status = self.rng.choices(*zip(*STATUSES, strict=True))[0]
        valid_until = None
        if signed_on and (status == Agreement.Status.EXPIRED or self.rng.random() < 0.3):
            valid_until = signed_on + datetime.timedelta(days=365 * self.rng.randint(2, 10))
        approved = None
        if kind == Agreement.Kind.SISTERHOOD and signed_on and precision == Precision.DAY:
            approved = signed_on - datetime.timedelta(days=self.rng.randint(10, 90))
        title = T(
            f"{label.en} on {field.name_en.lower()} with {region.name_en}",
            f"{region.name_ko} {field.name_ko} 분야 {label.ko}",
            f"与{region.name_zh_hans}{field.name_zh_hans}领域{label.zh_hans}",
        )
        values = {
            "partnership_id": partnership.pk,
            "kind": kind,
            "signed_on": signed_on,
            "signed_on_precision": precision,
            "status": status,
            "valid_until": valid_until,
            "council_approved_on": approved,
            **translations("title", title),
        }
        return values, field

    def signatories(self, agreement, partnership, home_people, partner_people):
        region = partnership.partner_region
        home_title = self.rng.choice(HOME_TITLES)
        partner_title = T(
            f"Head of {region.name_en}", f"{region.name_ko} 대표", f"{region.name_zh_hans}代表"
        )
        for order, (people, side, title) in enumerate(
            [(home_people, Side.HOME, home_title), (partner_people, Side.PARTNER, partner_title)]
        ):
            yield {
                "agreement_id": agreement.pk,
                "person_id": self.rng.choice(people).pk,
                "role": Participation.Role.SIGNATORY,
                "side": side,
                "order": order,
                **translations("title", title),
            }

    def exchange(self, partnership):
        kind = self.rng.choice(list(EXCHANGE_KINDS))
        label, region = EXCHANGE_KINDS[kind], partnership.partner_region
        starts_on, precision = self.partial_date(unknown_share=0.1)
        ends_on = None
        if starts_on and precision == Precision.DAY and self.rng.random() < 0.6:
            ends_on = starts_on + datetime.timedelta(days=self.rng.randint(0, 14))
        title = T(
            f"{label.en} with {region.name_en}",
            f"{region.name_ko} {label.ko}",
            f"与{region.name_zh_hans}{label.zh_hans}",
        )
        return {
            "partnership_id": partnership.pk,
            "kind": kind,
            "direction": self.rng.choice(Exchange.Direction.values),
            "starts_on": starts_on,
            "starts_on_precision": precision,
            "ends_on": ends_on,
            "ends_on_precision": Precision.DAY,
            "participants": self.rng.choice([None, self.rng.randint(2, 200)]),
            **translations("title", title),
        }
