from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    CooperationField,
    Exchange,
    Meeting,
    Participation,
    Partnership,
    Person,
    Region,
    WorkingGroup,
)


@register(CooperationField)
class CooperationFieldTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("summary", "status_reason")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "summary", "venue", "key_commitments")
    required_languages = {"en": ("title",)}


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Participation)
class ParticipationTranslation(TranslationOptions):
    fields = ("title",)


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("name", "mandate")
    required_languages = {"en": ("name",)}


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("place", "summary")


@register(Exchange)
class ExchangeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
