"""`module_world()` (tests/conftest.py): the world is built once for the module, yet each test gets its own copies of
its objects and none of the rows another test wrote. The two tests below run in this order in one process."""

from __future__ import annotations

import pytest

from programs.models import Organisation, Program
from tests.conftest import module_world

pytestmark = pytest.mark.django_db

globals().update(module_world())

NAME = "Головне управління ДМС у Київській області"


def test_a_test_that_changes_the_world_in_memory_and_in_the_database(organisation, program_content, module_world_rows):
    assert organisation is not module_world_rows["organisation"]  # a copy of its own
    assert program_content.program.organisation is organisation  # one object graph within the test

    organisation.name = "Перейменовано"
    organisation.save()
    Program.objects.filter(pk=program_content.program.pk).delete()

    assert Organisation.objects.get(pk=organisation.pk).name == "Перейменовано"


def test_the_next_test_gets_the_world_as_built(organisation, program_content):
    assert organisation.name == NAME
    assert Organisation.objects.get(pk=organisation.pk).name == NAME
    assert Program.objects.filter(pk=program_content.program.pk).exists()
