"""The migrated template every test database is copied from (tests/database_template.py) is named after what builds
it: a stale template would hand the suite a database the migrations no longer make."""

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.database_template import ROOT, _project_modules, migrations_digest


def test_the_project_modules_a_data_migration_imports_are_part_of_the_digest():
    source = (ROOT / "risks" / "migrations" / "0002_install_presets.py").read_text()
    found = {str(path.relative_to(ROOT)) for path in _project_modules(source)}
    assert found == {"risks/matrix.py", "risks/presets.py"}


def test_libraries_and_unknown_names_are_left_out():
    source = "import django.db\nfrom django.db import migrations\nimport no_such_module_here\nfrom types import X\n"
    assert _project_modules(source) == set()


@pytest.mark.django_db
def test_this_test_database_is_a_copy_of_the_template_of_the_current_migrations():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases are made by Django, in memory")
    # (During the tests the connection's NAME is the test database's: only the digest part is compared.)
    assert connection.settings_dict["TEST"]["TEMPLATE"].endswith(f"_tpl_{migrations_digest()[:12]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        applied = cursor.fetchone()[0]
    on_disk = sum(
        1
        for folder in ROOT.glob("*/migrations")
        for migration in folder.glob("0*.py")
        if Path(folder.parent, "apps.py").exists()
    )
    assert applied >= on_disk  # every migration of the project's apps, plus Django's own


@pytest.mark.django_db
def test_this_run_tests_on_the_database_its_suffix_names():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases are made by Django, in memory")
    # scripts/test runs its worker part beside the other tests, both with pytest-xdist's gw0, gw1 …, and names the
    # worker part's databases apart by pytest-django's own suffix for parallel sessions (TOX_PARALLEL_ENV).
    parts = (os.environ.get("TOX_PARALLEL_ENV", ""), os.environ.get("PYTEST_XDIST_WORKER", ""))
    assert connection.settings_dict["TEST"]["NAME"].endswith("".join(f"_{part}" for part in parts if part))
