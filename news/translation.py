from modeltranslation.translator import TranslationOptions, register

from .models import Article


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_html", "image_alt", "image_caption")
    required_languages = ()
