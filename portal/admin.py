"""Site-wide pieces of the back office."""

from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin


class ContentAdmin(TabbedDjangoJqueryTranslationAdmin):
    """The base of every content model's admin: translation tabs and the office's rules."""
