"""The sample news articles of generate_sample_data: what each is about, in which
languages, in which state, and its texts, made from the templates of portal.sample_texts.
"""

import datetime
import html

from django.utils import timezone

from news.models import Article
from news.rendering import render_markdown
from portal.sample_texts import (
    LANGUAGE_SUFFIXES,
    NEWS_BODIES,
    NEWS_LANGUAGES,
    NEWS_STATES,
    NEWS_SUMMARY,
    NEWS_TITLES,
    NEWS_YEARS,
    PREFIX,
)


class SampleNews:
    """Articles about the given partnerships, their choices drawn from `rng`.

    Bodies are rendered once per template with the placeholders in them, and the names are
    put into the Markdown and the HTML afterwards (names are plain words, so both stay in step).
    """

    def __init__(self, rng, fields, partnerships, home):
        self.rng, self.fields, self.partnerships, self.home = rng, fields, partnerships, home
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.languages = self.deck(NEWS_LANGUAGES)
        self.states = self.deck(NEWS_STATES)
        self.html = [
            {code: render_markdown(getattr(body, code)) for code in LANGUAGE_SUFFIXES}
            for body in NEWS_BODIES
        ]

    def deck(self, weighted):
        """Return a shuffled hundred choices in the given shares (the weights add up to 100).

        Article i takes choice i % 100, so every hundred articles have exactly these shares,
        and a small scale still has every kind.
        """
        deck = [choice for choice, weight in weighted for _ in range(weight)]
        self.rng.shuffle(deck)
        return deck

    def plan(self, index):
        """Choose what an article is about, in which languages, and its state."""
        chosen = [self.rng.choice(self.partnerships)]
        if self.rng.random() < 0.1:
            chosen.append(self.rng.choice(self.partnerships))
        regions = {p.partner_region_id for p in chosen}
        if self.rng.random() < 0.5:
            regions.add(self.home.pk)
        fields = self.rng.sample(self.fields, self.rng.randint(1, 3))
        original, languages = self.languages[index % 100]
        return {
            "index": index,
            "partnerships": sorted({p.pk for p in chosen}),
            "regions": sorted(regions),
            "fields": sorted(f.pk for f in fields),
            "region": chosen[0].partner_region,
            "field": fields[0],
            "title": self.rng.choice(NEWS_TITLES),
            "body": self.rng.randrange(len(NEWS_BODIES)),
            "original": original,
            "languages": languages,
            "state": self.states[index % 100],
        }

    def values(self, plan):
        """Return the column values of one article."""
        original, languages = plan["original"], plan["languages"]
        # Some translations predate the latest change to the original.
        revision = 2 if len(languages) > 1 and self.rng.random() < 0.05 else 1
        values = {
            "slug": f"{PREFIX}news-{plan['index'] + 1:05d}",
            "original_language": original,
            "original_revision": revision,
            **self.dates(plan["state"]),
        }
        for code in LANGUAGE_SUFFIXES:
            # A language not written has no text and an empty rendering, as after save().
            values |= self.texts(plan, code) if code in languages else {f"body_html_{code}": ""}
            values[f"revision_{code}"] = (
                None if code not in languages else revision if code == original else 1
            )
        return values

    def texts(self, plan, code):
        """Return the title, summary and body of an article in one language."""
        names = {
            "REGION": getattr(plan["region"], f"name_{code}"),
            "FIELD": getattr(plan["field"], f"name_{code}").lower(),
        }
        return {
            f"title_{code}": fill(getattr(plan["title"], code), names),
            f"summary_{code}": fill(getattr(NEWS_SUMMARY, code), names),
            f"body_{code}": fill(getattr(NEWS_BODIES[plan["body"]], code), names),
            f"body_html_{code}": fill(self.html[plan["body"]][code], names, escape=True),
        }

    def dates(self, state):
        """Return the status and publish time of an article in a given state."""
        seconds = self.rng.randrange(3600, NEWS_YEARS * 365 * 86400)
        past = self.now - datetime.timedelta(seconds=seconds)
        future = self.now + datetime.timedelta(hours=self.rng.randrange(1, 180 * 24))
        status, publish_at = {
            "published": (Article.Status.PUBLISHED, past),
            "scheduled": (Article.Status.PUBLISHED, future),
            "draft": (Article.Status.DRAFT, None),
            "review": (Article.Status.REVIEW, self.rng.choice([None, future])),
            "archived": (Article.Status.ARCHIVED, past),
        }[state]
        return {"status": status, "publish_at": publish_at}


def fill(template, names, escape=False):
    """Put the names into a text template (HTML-escaped into rendered HTML)."""
    for placeholder, name in names.items():
        template = template.replace(placeholder, html.escape(name) if escape else name)
    return template
