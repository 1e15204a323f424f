"""The deployment files agree with the code and with each other: compose, Dockerfile, CI entry point, README.

None of these tests touches the database; the settings checks run `manage.py` in a subprocess with a clean
environment, exactly as a production container would start. How the settings read a yes/no word is read back by
loading the settings module alone in that subprocess (`manage.py shell` loaded every app and model first: 3.5 s each).
"""

import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
REQUIRED_APP_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "WHISTLEBLOWER_RECEIPT_PEPPER",
    "ALLOWED_HOSTS",
)

# Fonts packaged by Debian that cover the whole Ukrainian and Russian alphabets (і, ї, є, ґ included).
CYRILLIC_COMPLETE_FONTS = {"fonts-dejavu-core", "fonts-dejavu", "fonts-liberation2", "fonts-noto-core"}
# Variables the settings read; removed before each subprocess so the developer's shell cannot leak in.
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "WHISTLEBLOWER_RECEIPT_PEPPER",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "PRIVATE_STORAGE_ROOT",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def command_words(command: str | list[str]) -> list[str]:
    return command.split() if isinstance(command, str) else list(command)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_apt_packages() -> set[str]:
    packages: set[str] = set()
    for keyword, arguments in dockerfile_instructions():
        if keyword == "RUN":
            for install in re.findall(r"apt-get install ([^&;]+)", arguments):
                packages.update(word for word in install.split() if not word.startswith("-"))
    return packages


def module_exists(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def readme_command(heading_word: str) -> str:
    """The single command in the first code block under a README heading that mentions `heading_word`."""
    heading, in_block, block = "", False, []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if in_block and heading_word.lower() in heading.lower():
                commands = [command.strip() for command in block if command.strip()]
                assert len(commands) == 1, f"README section {heading!r} should hold exactly one command"
                return commands[0]
            in_block, block = not in_block, []
        elif in_block:
            block.append(line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
    raise AssertionError(f"README.md has no heading mentioning {heading_word!r} followed by a code block")


def run_manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, **variables)


def run_settings(code: str, **variables: str) -> subprocess.CompletedProcess:
    """`code` run after the settings module alone is loaded, as every command loads it first."""
    return run_python(
        "-c", f"from django.conf import settings; {code}", DJANGO_SETTINGS_MODULE="config.settings", **variables
    )


def run_python(*args: str, **variables: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE may be set by the browser tests of this same process; production never sets it.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PORTAL_VARIABLES and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_variables(tmp_path: Path) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "WHISTLEBLOWER_RECEIPT_PEPPER": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }


def test_compose_runs_postgres_redis_web_worker_and_beat():
    assert {"postgres", "redis", *APP_SERVICES} <= set(compose()["services"])


def test_compose_web_worker_and_beat_are_built_from_the_one_app_anchor():
    document = yaml.compose((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    top = {key.value: value for key, value in document.value}
    services = {key.value: value for key, value in top["services"].value}
    for name in APP_SERVICES:
        merged = [value for key, value in services[name].value if key.value == "<<"]
        assert merged == [top["x-app"]], f"{name} does not merge the x-app anchor"


@pytest.mark.parametrize("key", ["image", "build", "env_file", "environment", "volumes"])
def test_compose_web_worker_and_beat_share_image_and_settings(key):
    services = compose()["services"]
    values = [services[name].get(key) for name in APP_SERVICES]
    assert values[0] is not None
    assert values.count(values[0]) == len(values), f"{key} differs between {APP_SERVICES}"


def test_compose_app_environment_is_production():
    environment = compose()["services"]["web"]["environment"]
    assert str(environment["DEBUG"]).lower() == "false"
    for name in REQUIRED_APP_VARIABLES:
        assert environment.get(name), f"{name} is not set for the app services"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:" in environment["DATABASE_URL"]
    assert "redis:6379" in environment["CELERY_BROKER_URL"]


def test_compose_secrets_come_from_the_environment_file_not_the_repository():
    environment = compose()["services"]["web"]["environment"]
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "WHISTLEBLOWER_RECEIPT_PEPPER"):
        assert environment[name].startswith("${"), f"{name} is hard-coded in docker-compose.yml"


def test_compose_web_and_worker_share_the_private_storage_volume():
    services = compose()["services"]
    storage_root = services["web"]["environment"]["PRIVATE_STORAGE_ROOT"]
    for name in ("web", "worker"):
        mounts = [volume.split(":") for volume in services[name]["volumes"]]
        assert any(target == storage_root and source in compose()["volumes"] for source, target, *_ in mounts)


def test_compose_postgres_and_redis_have_healthchecks_the_app_waits_for():
    services = compose()["services"]
    assert str(services["postgres"]["image"]).startswith("postgres:16")
    assert str(services["redis"]["image"]).startswith("redis:7")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
        for app in APP_SERVICES:
            assert services[app]["depends_on"][name]["condition"] == "service_healthy"


def test_compose_applies_migrations_before_the_app_starts():
    services = compose()["services"]
    commands = {name: " ".join(command_words(service.get("command", ""))) for name, service in services.items()}
    migrators = [name for name, command in commands.items() if "manage.py migrate" in command]
    assert migrators, "no service runs manage.py migrate"
    if "web" not in migrators:
        for app in APP_SERVICES:
            assert services[app]["depends_on"][migrators[0]]["condition"] == "service_completed_successfully"


def test_compose_and_dockerfile_commands_name_modules_that_exist():
    commands = [command_words(service["command"]) for service in compose()["services"].values() if "command" in service]
    commands += [
        command_words(yaml.safe_load(arguments)) for keyword, arguments in dockerfile_instructions() if keyword == "CMD"
    ]
    checked = 0
    for words in commands:
        if words[0] == "gunicorn":
            application = next(word for word in words[1:] if re.fullmatch(r"[\w.]+:\w+", word))
            assert module_exists(application.split(":")[0]), application
            checked += 1
        if words[0] == "celery":
            app = words[words.index("-A") + 1]
            assert (ROOT / app / "celery.py").is_file() or module_exists(app), app
            checked += 1
    assert checked >= 4, "expected gunicorn in compose and Dockerfile, celery worker and beat in compose"


def test_gunicorn_writes_no_access_log_with_client_addresses():
    texts = [arguments for _, arguments in dockerfile_instructions()]
    texts += [" ".join(command_words(service.get("command", ""))) for service in compose()["services"].values()]
    for text in texts:
        assert "--access-logfile" not in text
        assert "--access-log " not in text


def test_dockerfile_installs_pango_and_a_cyrillic_complete_font():
    packages = dockerfile_apt_packages()
    assert {"libpango-1.0-0", "libpangoft2-1.0-0"} <= packages
    assert packages & CYRILLIC_COMPLETE_FONTS
    assert "gettext" in packages


def test_dockerfile_installs_the_production_lock_and_runs_as_an_unprivileged_user():
    instructions = dockerfile_instructions()
    stages = [arguments for keyword, arguments in instructions if keyword == "FROM"]
    assert stages[-1].startswith("python:3.11-slim-bookworm")  # the final stage; earlier ones only build assets
    assert any(keyword == "RUN" and "requirements-prod.lock" in arguments for keyword, arguments in instructions)
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users
    assert users[-1] not in {"root", "0"}


def test_dockerfile_keeps_build_time_keys_out_of_the_image_environment():
    for keyword, arguments in dockerfile_instructions():
        if keyword in {"ENV", "ARG"}:
            assert "SECRET_KEY" not in arguments
            assert "FIELD_ENCRYPTION_KEY" not in arguments
            assert "WHISTLEBLOWER_RECEIPT_PEPPER" not in arguments


def test_lock_files_pin_every_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\[<>=!~ ;]", requirement)[0].lower().replace("_", "-") for requirement in requirements}

    def pinned(lock: str) -> set[str]:
        text = (ROOT / lock).read_text(encoding="utf-8")
        return {name.lower().replace("_", "-") for name in re.findall(r"^([\w.-]+)==", text, flags=re.MULTILINE)}

    assert names(project["dependencies"]) <= pinned("requirements-prod.lock")
    assert names(project["dependencies"] + project["optional-dependencies"]["dev"]) <= pinned("requirements.lock")


def test_readme_justifies_every_dependency():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Dependencies", 1)[1].split("\n## ", 1)[0].lower()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name = re.split(r"[\[<>=!~ ;]", requirement)[0].lower()
        assert name in section, f"README's Dependencies section does not explain {name}"


def test_ci_runs_exactly_the_test_command_from_the_readme():
    command = readme_command("test")
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    statements = [line.strip() for line in lines[1:] if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in statements
    assert statements[-1] == command
    assert os.access(ROOT / command.split()[0], os.X_OK)


def test_readme_run_command_is_an_executable_script():
    command = readme_command("run")
    assert command == "scripts/run"
    assert os.access(ROOT / command, os.X_OK)


def test_production_settings_pass_the_deploy_checks_without_warnings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_variables(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_debug_and_without_a_secret_key(tmp_path):
    variables = production_variables(tmp_path)
    del variables["SECRET_KEY"]
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_refuse_to_start_without_debug_and_without_an_encryption_key(tmp_path):
    variables = production_variables(tmp_path)
    del variables["FIELD_ENCRYPTION_KEY"]
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_settings_refuse_to_start_without_debug_and_without_a_receipt_pepper(tmp_path):
    variables = production_variables(tmp_path)
    del variables["WHISTLEBLOWER_RECEIPT_PEPPER"]
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert "WHISTLEBLOWER_RECEIPT_PEPPER" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "flase"),
        ("DEBUG", "ні"),
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("EMAIL_USE_TLS", "2"),
    ],
)
def test_settings_refuse_a_yes_no_variable_with_an_unknown_word(tmp_path, name, value):
    variables = {**production_variables(tmp_path), name: value}
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert f"{name}={value!r} is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("value", "debug"), [("true", True), (" Yes ", True), ("1", True), ("off", False), ("0", False), ("", True)]
)
def test_settings_read_every_yes_no_word(tmp_path, value, debug):
    variables = {**production_variables(tmp_path), "DEBUG": value}
    result = run_settings("print(settings.DEBUG)", **variables)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(debug)


def test_settings_refuse_a_number_variable_that_is_not_a_number(tmp_path):
    variables = {**production_variables(tmp_path), "SECURE_HSTS_SECONDS": "a year"}
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS='a year' is not a whole number" in result.stderr
