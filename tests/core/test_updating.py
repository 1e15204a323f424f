"""core.updating.model_update: only the listed fields, only when they change, under the project's optimistic lock."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError

from core.concurrency import ConcurrentEditError
from core.updating import model_update
from programs.models import Organisation, Program, Unit
from tests.factories import OrganisationFactory, ProgramFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

UNIT_FIELDS = ("name", "abbreviation", "parent", "head_name", "email", "is_active")


def test_it_sets_only_the_listed_fields_present_in_the_data():
    unit = UnitFactory(name="Відділ кадрів", head_name="Іваненко")
    unit, has_updated = model_update(
        instance=unit,
        fields=("name", "head_name"),
        data={"name": "Управління персоналу", "abbreviation": "НЕ-ТАК", "email": "x@example.com"},
        expected_version=unit.version,
    )
    stored = Unit.objects.get(pk=unit.pk)
    assert has_updated
    assert (stored.name, stored.head_name) == ("Управління персоналу", "Іваненко")
    assert stored.abbreviation != "НЕ-ТАК"
    assert stored.email == ""


def test_it_reports_no_update_and_writes_nothing_when_no_field_changed(django_assert_num_queries):
    organisation = OrganisationFactory(name="Головне управління")
    history = organisation.history.count()
    with django_assert_num_queries(1):  # the stored row is read, nothing is written
        organisation, has_updated = model_update(
            instance=organisation, fields=("name", "parent"), data={"name": "Головне управління", "parent": None}
        )
    assert not has_updated
    assert organisation.history.count() == history


def test_it_compares_a_related_object_by_its_key_without_loading_it(django_assert_num_queries):
    parent = UnitFactory()
    unit = Unit.objects.get(pk=UnitFactory(organisation=parent.organisation, parent=parent).pk)
    with django_assert_num_queries(1):
        _unit, has_updated = model_update(instance=unit, fields=("parent",), data={"parent": parent})
    assert not has_updated


def test_an_instance_a_form_already_changed_is_still_written():
    organisation = OrganisationFactory(name="Стара назва")
    organisation.name = "Нова назва"  # as a ModelForm bound to the instance does on is_valid()
    _organisation, has_updated = model_update(instance=organisation, fields=("name",), data={"name": "Нова назва"})
    assert has_updated
    assert Organisation.objects.get(pk=organisation.pk).name == "Нова назва"


def test_a_versioned_instance_a_form_already_changed_is_still_written():
    unit = UnitFactory(name="Стара назва")
    unit.name = "Нова назва"
    _unit, has_updated = model_update(
        instance=unit, fields=("name",), data={"name": "Нова назва"}, expected_version=unit.version
    )
    assert has_updated
    assert Unit.objects.get(pk=unit.pk).name == "Нова назва"


def test_without_a_version_it_writes_only_the_changed_columns():
    organisation = OrganisationFactory(name="Стара назва", code="111")
    Organisation.objects.filter(pk=organisation.pk).update(code="222")  # someone else, meanwhile
    model_update(instance=organisation, fields=("name", "code"), data={"name": "Нова назва"})
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.code) == ("Нова назва", "222")


def test_it_names_the_author_in_the_history():
    user = UserFactory()
    organisation = OrganisationFactory(name="Стара назва")
    model_update(instance=organisation, fields=("name",), data={"name": "Нова назва"}, user=user)
    assert organisation.history.latest().history_user == user


def test_it_stamps_the_automatic_update_time_with_the_changed_columns():
    program = ProgramFactory()
    before = Program.objects.get(pk=program.pk).updated_at
    model_update(instance=program, fields=("title",), data={"title": "Нова програма"}, clean=False)
    assert Program.objects.get(pk=program.pk).updated_at > before


def test_a_versioned_save_moves_the_version_on():
    unit = UnitFactory(name="Відділ")
    model_update(instance=unit, fields=UNIT_FIELDS, data={"name": "Управління"}, expected_version=1)
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.name, stored.version, unit.version) == ("Управління", 2, 2)


@pytest.mark.parametrize("typed", ["Управління", "Відділ"], ids=["a change", "no change"])
def test_a_stale_version_is_refused_even_when_nothing_changes(typed):
    unit = UnitFactory(name="Відділ")
    Unit.objects.filter(pk=unit.pk).update(version=2)  # someone else saved after this page was opened
    with pytest.raises(ConcurrentEditError):
        model_update(instance=unit, fields=UNIT_FIELDS, data={"name": typed}, expected_version=1)
    assert Unit.objects.get(pk=unit.pk).name == "Відділ"


def test_a_caller_holding_the_lock_passes_the_version_it_read():
    unit = UnitFactory(name="Відділ")
    with pytest.raises(ConcurrentEditError):
        model_update(
            instance=unit, fields=UNIT_FIELDS, data={"name": "Управління"}, expected_version=1, locked_version=2
        )
    model_update(instance=unit, fields=UNIT_FIELDS, data={"name": "Управління"}, expected_version=1, locked_version=1)
    assert Unit.objects.get(pk=unit.pk).version == 2


def test_it_cleans_before_saving_unless_told_not_to():
    unit = UnitFactory(email="")
    with pytest.raises(ValidationError) as refusal:
        model_update(instance=unit, fields=UNIT_FIELDS, data={"email": "не адреса"}, expected_version=unit.version)
    assert "email" in refusal.value.message_dict
    assert Unit.objects.get(pk=unit.pk).email == ""


def test_a_new_instance_is_inserted_whole():
    organisation = OrganisationFactory()
    unit, has_updated = model_update(
        instance=Unit(organisation=organisation),
        fields=UNIT_FIELDS,
        data={"name": "Управління персоналу", "abbreviation": "УП"},
        expected_version=None,
    )
    assert has_updated
    assert Unit.objects.get(pk=unit.pk).abbreviation == "УП"


@pytest.mark.parametrize(("name", "error"), [("children", ValueError), ("no_such_field", FieldDoesNotExist)])
def test_a_name_that_is_not_an_editable_column_is_a_programming_error(name, error):
    with pytest.raises(error, match=name):
        model_update(instance=UnitFactory(), fields=(name,), data={})
