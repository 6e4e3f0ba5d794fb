"""Who may publish an article, and what counts as publishing: the one place every route asks.

An editor writes articles and submits them for review; a publisher, who holds
PUBLISH_PERMISSION (the `publisher` role of the back office), publishes, schedules,
unpublishes and archives them. Every way of saving an article asks here:

- the article form (news.forms) offers only what the user may do and explains a refusal;
- the admin's save (news.admin), through which reverting to an old version and recovering a
  deleted article also go, refuses what the form would refuse, should a route skip the form;
- a change to a live article by someone who may not publish is kept as a pending change
  for a publisher (news.admin_pending, news.pending).

What the user may change is measured against `saved`, the article's (status, publish time)
as stored before the change, or None for a new article. A revert measures against the
article as it stands, not as the old version had it; a recovered article is a new one, so
recovering a published article publishes it.
"""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from .models import Article

PUBLISH_PERMISSION = "news.publish_article"
# What publishing means: an article in either status is, or was, on the public site.
PUBLIC_STATUSES = (Article.Status.PUBLISHED, Article.Status.ARCHIVED)
PRIVATE_STATUSES = (Article.Status.DRAFT, Article.Status.REVIEW)

Saved = tuple[str, datetime.datetime | None] | None


def can_publish(user: AbstractBaseUser) -> bool:
    """Return True if the user may publish, schedule, unpublish and archive articles."""
    return user.has_perm(PUBLISH_PERMISSION)


def saved_publishing(article: Article | None) -> Saved:
    """Return the article's (status, publish time) as stored; None when it is not saved yet."""
    if article is None or article.pk is None:
        return None
    return (article.status, article.publish_at)


def offered_statuses(saved: Saved) -> list[str]:
    """Return the statuses someone who may not publish can choose for the article."""
    saved_status = saved[0] if saved else None
    if saved_status in PUBLIC_STATUSES:
        return [saved_status]
    return list(PRIVATE_STATUSES)


def _same_time(a, b):
    """Compare publish times as the form shows them: to the second."""
    if a is None or b is None:
        return a is b
    return a.replace(microsecond=0) == b.replace(microsecond=0)


def publishing_refusals(*, saved: Saved, status, publish_at) -> dict[str, str]:
    """Return {field: message} for each change of the article that only a publisher may make."""
    saved_status, saved_time = saved or (None, None)
    refusals = {}
    if status != saved_status and status in PUBLIC_STATUSES:
        refusals["status"] = _(
            "Only a publisher can publish or archive an article; choose “in review” to submit "
            "it to one."
        )
    elif status != saved_status and saved_status in PUBLIC_STATUSES:
        refusals["status"] = _(
            "Only a publisher can unpublish an article or change the status of a published or "
            "archived one."
        )
    if not _same_time(publish_at, saved_time):
        refusals["publish_at"] = _("Only a publisher can set or change the publish time.")
    return refusals


def may_save(user: AbstractBaseUser, *, saved: Saved, status, publish_at) -> bool:
    """Return True if the user may save the article with this status and publish time."""
    if can_publish(user):
        return True
    return not publishing_refusals(saved=saved, status=status, publish_at=publish_at)


def is_live(saved: Saved) -> bool:
    """Return True if the article is published or scheduled: a change to it needs a publisher."""
    return saved is not None and saved[0] == Article.Status.PUBLISHED


def saves_as_pending_change(user: AbstractBaseUser, *, saved: Saved) -> bool:
    """Return True if the user's save of the article must become a pending change."""
    return is_live(saved) and not can_publish(user)


def may_discard_pending_change(user: AbstractBaseUser, pending_change) -> bool:
    """Return True if the user may discard the pending change: a publisher, or its author."""
    mine = pending_change.author_id is not None and pending_change.author_id == user.pk
    return mine or can_publish(user)
