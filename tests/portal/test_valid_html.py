"""Every public page is valid HTML: the Nu Html Checker (vnu.jar, run by Java) finds no error.

`make validator` installs vnu.jar; CI requires it (PORTAL_REQUIRE_VALIDATOR=1), elsewhere the
test is skipped without Java or the jar.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string

from tests.pages import UNLISTED_PAGES, public_pages

pytestmark = pytest.mark.django_db

# Where `make validator` puts it; PORTAL_VNU_JAR names another.
VNU_JAR = Path(
    os.environ.get("PORTAL_VNU_JAR")
    or settings.BASE_DIR / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


@pytest.fixture
def validate(tmp_path):
    """Return a function: {name: html} -> ["name:line: message"] for every error found."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        message = (
            "The HTML validity test needs Java (apt-get install default-jre-headless) and "
            f"vnu.jar (make validator) at {VNU_JAR}; it is skipped. CI installs both and "
            "requires them."
        )
        if os.environ.get("PORTAL_REQUIRE_VALIDATOR"):
            pytest.fail(message)
        pytest.skip(message)

    def run(documents):
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = tmp_path / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        command += ["--exit-zero-always", *(str(tmp_path / file) for file in names)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        found = []
        for message in json.loads(output)["messages"]:
            file = Path(urlsplit(message.get("url", "")).path).name
            line = message.get("lastLine", "?")
            found.append(f"{names.get(file, file)}:{line}: {message['message']}")
        return found

    return run


def test_the_validator_finds_an_error(validate):
    # An empty form action, the error the filter forms had: the check itself must see it.
    page = '<!doctype html><html lang="en"><title>A page</title><form action=""></form></html>'
    found = validate({"/en/bad/": page})
    assert len(found) == 1
    assert found[0].startswith("/en/bad/:1: ")
    assert "action" in found[0]


def test_every_public_page_is_valid_html(client, validate):
    call_command("seed_demo", verbosity=0)
    documents = {}
    for path in public_pages(client):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        documents[path] = response.content.decode()
    documents["500.html"] = render_to_string("500.html")
    # Every sitemap page in three languages, besides the unlisted ones: not a vacuous pass.
    assert len(documents) > len(UNLISTED_PAGES) + 50

    assert validate(documents) == []
