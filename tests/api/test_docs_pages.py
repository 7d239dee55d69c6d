"""The API reference pages, ``/docs`` (Swagger UI) and ``/redoc``, load nothing from another
origin: every script, style and icon they name is served by the service itself (issue 16)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.docs_pages import ASSETS_URL, FAVICON_URL, assets

PROBLEM = "application/problem+json"
_ATTRIBUTE_URL = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""")
_SCRIPT_URL = re.compile(r"""\burl:\s*'([^']+)'""")  # Swagger UI's start-up: the document


@pytest.mark.parametrize(
    ("page", "bundle"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
def test_a_reference_page_names_only_local_urls_that_answer(
    idle_client: TestClient, page: str, bundle: str
) -> None:
    answer = idle_client.get(page)  # no key: the reference is public, the data is not
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "http://" not in answer.text and "https://" not in answer.text
    urls = _ATTRIBUTE_URL.findall(answer.text) + _SCRIPT_URL.findall(answer.text)
    assert f"{ASSETS_URL}/{bundle}" in urls and "/openapi.json" in urls, urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = idle_client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy


def test_swagger_ui_sends_the_document_to_no_validator(idle_client: TestClient) -> None:
    text = idle_client.get("/docs").text
    assert '"validatorUrl": null' in text and "oauth2RedirectUrl" not in text


def test_the_bundles_come_from_the_installed_package(idle_client: TestClient) -> None:
    names = {p.name for p in assets().iterdir()}
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"} <= names
    css = idle_client.get(f"{ASSETS_URL}/swagger-ui.css")
    assert css.status_code == 200 and css.content == (assets() / "swagger-ui.css").read_bytes()
    assert css.headers["content-type"].startswith("text/css")
    missing = idle_client.get(f"{ASSETS_URL}/nothing.js")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_redocs_remote_logo_is_served_from_here(idle_client: TestClient) -> None:
    """ReDoc's bundle loads its "API docs by Redocly" logo from cdn.redoc.ly whatever its
    options; the bundle served names the service's own icon instead."""
    original = (assets() / "redoc.standalone.js").read_bytes()
    served = idle_client.get(f"{ASSETS_URL}/redoc.standalone.js")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" in original  # else the replacement has become unnecessary
    assert b"cdn.redoc.ly" not in served.content
    assert b'src:"' + FAVICON_URL.encode() + b'"' in served.content
    assert idle_client.get(FAVICON_URL).status_code == 200
    assert len(served.content) == len(original) - len(
        b"https://cdn.redoc.ly/redoc/logo-mini.svg"
    ) + len(FAVICON_URL)


def test_the_reference_pages_stay_out_of_the_document(idle_client: TestClient) -> None:
    paths = idle_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p in ("/docs", "/redoc") or p.startswith("/problems")]
