import io

import pytest
from django.core.management import CommandError, call_command

from relations.importing import agreement_import
from relations.management.commands.import_agreements import Command
from relations.models import Agreement
from tests.factories import AgreementFactory
from tests.relations.helpers_import import (
    World,
    agreement_row,
    agreements_1_and_10,
    csv_bytes,
    refused_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def write(tmp_path, rows, **kwargs):
    path = tmp_path / "agreements.csv"
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_agreements", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_it_imports_a_file(world, tmp_path):
    stdout, stderr = run(write(tmp_path, [agreement_row(), agreement_row(title="Second")]))

    assert Agreement.objects.count() == 2
    assert stdout.splitlines() == ["Imported: 2 created, 0 updated, 0 unchanged."]
    # Not on a terminal: no progress bar.
    assert stderr == ""


def test_it_lists_the_changes_with_more_verbosity(world, tmp_path):
    stdout, _stderr = run(write(tmp_path, [agreement_row(), agreement_row(title="Second")]), "-v2")

    assert "row 3: create Second" in stdout


def test_it_writes_nothing_in_a_dry_run(world, tmp_path):
    stdout, _stderr = run(write(tmp_path, [agreement_row()]), "--dry-run")

    assert Agreement.objects.count() == 0
    assert "title: '' -> 'Sisterhood Agreement'" in stdout
    assert stdout.endswith("Dry run, nothing written: 1 created, 0 updated, 0 unchanged.\n")


def test_it_fails_with_every_error_and_writes_nothing(world, tmp_path):
    path = write(tmp_path, [agreement_row(), agreement_row(kind="Treaty", fields="Astrology")])
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="2 error"):
        call_command("import_agreements", str(path), stdout=io.StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        "error: row 3, Kind: Unknown kind \u201cTreaty\u201d.",
        "error: row 3, Fields: Unknown field \u201cAstrology\u201d.",
    ]
    assert Agreement.objects.count() == 0


def test_it_exits_non_zero_on_a_bad_file(world, tmp_path, capsys):
    path = tmp_path / "agreements.csv"
    path.write_bytes("제목,유형\r\n협정,양해각서\r\n".encode("cp949"))

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "import_agreements", str(path)])

    assert exit_info.value.code == 1
    assert "CP949 (Korean Windows)" in capsys.readouterr().err


def test_it_says_when_the_file_cannot_be_opened(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        run(tmp_path / "missing.csv")


def test_it_shows_a_progress_bar_on_a_terminal(world, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    path = write(tmp_path, [agreement_row(title=f"Agreement {i}") for i in range(3)])

    call_command("import_agreements", str(path), stdout=io.StringIO())

    assert "3/3" in capsys.readouterr().err


def run_failing(*args):
    """Run the command, which must fail; return (the CommandError's message, stderr lines)."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_agreements", *map(str, args), stdout=io.StringIO(), stderr=stderr)
    return str(failure.value), stderr.getvalue().splitlines()


@pytest.mark.parametrize("name", list(refused_files()))
def test_its_dry_run_reports_every_error_the_import_reports(world, tmp_path, name):
    agreements_1_and_10(world)
    data, error = refused_files()[name]
    path = tmp_path / "agreements.csv"
    path.write_bytes(data)

    dry_run = run_failing(path, "--dry-run")
    real_run = run_failing(path)

    assert dry_run == real_run == ("1 error(s): nothing was written.", [f"error: {error}"])
    assert sorted(Agreement.objects.values_list("pk", "title_en")) == [
        (1, "Agreement 1"),
        (10, "Agreement 10"),
    ]


def test_it_reports_the_database_refusing_the_write(world, tmp_path, monkeypatch):
    def racing_import(**kwargs):
        # Someone creates agreement 500 while the import checks the file.
        kwargs["progress"] = lambda done, total: AgreementFactory(pk=500)
        return agreement_import(**kwargs)

    monkeypatch.setattr(
        "relations.management.commands.import_agreements.agreement_import", racing_import
    )

    message, errors = run_failing(write(tmp_path, [agreement_row(id="500", title="Ours")]))

    assert message == "1 error(s): nothing was written."
    (error,) = errors
    assert error.startswith("error: The database refused the import, so nothing was written:")
    assert not Agreement.objects.filter(title_en="Ours").exists()


def test_it_keeps_an_apostrophe_that_guards_no_formula(world, tmp_path):
    row = agreement_row(title="'Tis the season", venue="'90s hall", signatories="")

    run(write(tmp_path, [row], guard=False))

    assert Agreement.objects.values_list("title_en", "venue_en").get() == (
        "'Tis the season",
        "'90s hall",
    )
