"""get_FOO_display() of the models: the label in the active language, made once per field."""

from django.utils import translation

from relations.models import Agreement


def test_it_shows_each_label_in_the_active_language():
    agreement = Agreement(kind=Agreement.Kind.SISTERHOOD, status=Agreement.Status.IN_FORCE)

    with translation.override("en"):
        english = (agreement.get_kind_display(), agreement.get_status_display())
    with translation.override("ko"):
        korean = agreement.get_kind_display()

    assert english == (str(Agreement.Kind.SISTERHOOD.label), str(Agreement.Status.IN_FORCE.label))
    with translation.override("ko"):
        assert korean == str(Agreement.Kind.SISTERHOOD.label) != english[0]


def test_it_shows_a_value_without_a_choice_as_it_is():
    assert Agreement(kind="no such kind").get_kind_display() == "no such kind"
