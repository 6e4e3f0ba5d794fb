from modeltranslation.translator import TranslationOptions, register

from .models import Article, ChangeNote


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_html", "image_alt", "image_caption")
    required_languages = ()


@register(ChangeNote)
class ChangeNoteTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ()
