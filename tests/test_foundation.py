"""The app starts, answers health checks, and behaves safely on every response."""

import logging

import pytest

from portal import create_app
from portal.config import ConfigError


def test_healthz_answers_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_every_page_sends_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert len(response.headers["X-Request-ID"]) >= 8


def test_home_page_uses_only_local_assets(client):
    html = client.get("/").get_data(as_text=True)
    assert "htmx-2.0.11.min.js" in html
    assert "http://" not in html.replace('xmlns="http://', "")
    assert "https://" not in html
    assert "<script>" not in html  # no inline script anywhere


def test_html_errors_render_inside_the_layout(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'id="main"' in html and "Accessibility statement" in html


def test_api_errors_share_one_json_envelope(client):
    response = client.get("/api/v1/no-such-thing", headers={"X-Request-ID": "abc12345"})
    assert response.status_code == 404
    error = response.json["error"]
    assert error["code"] == "not_found"
    assert error["request_id"] == "abc12345"
    assert error["message"]


def test_unexpected_error_is_a_500_page_with_a_reference(app, client):
    @app.get("/explode")
    def explode():
        raise RuntimeError("boom")

    response = client.get("/explode")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_one_log_line_per_request_names_the_route_not_the_path(client, caplog):
    logger = logging.getLogger("portal")
    logger.addHandler(caplog.handler)
    try:
        client.get("/healthz?email=someone@example.com")
    finally:
        logger.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if "request " in r.getMessage()]
    assert len(lines) == 1
    assert "route=/healthz" in lines[0] and "status=200" in lines[0]
    assert "method=GET" in lines[0] and "ms=" in lines[0] and "request_id=" in lines[0]
    assert "someone@example.com" not in lines[0]


def test_language_switch_sets_a_cookie_and_stays_on_site(client):
    response = client.post(
        "/language", data={"language": "es", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "lang=es" in response.headers["Set-Cookie"]
    page = client.get("/accessibility").get_data(as_text=True)
    assert '<html lang="es">' in page


@pytest.mark.parametrize("key", [None, "dev-only-not-secret", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("PORTAL_ENV", "production")
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_production_starts_with_a_real_secret_and_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.db'}"
    assert app.config["MAIL_BACKEND"] == "file"


def test_sqlite_runs_in_wal_with_foreign_keys(app, backend):
    from portal.db import database

    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_client_address_comes_from_the_proxy_only_when_trusted(tmp_path):
    from flask import request

    for hops, expected in ((0, "10.0.0.1"), (1, "203.0.113.9")):
        app = create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
                "TRUSTED_PROXIES": hops,
            }
        )

        @app.get("/whoami")
        def whoami():
            return request.remote_addr

        answer = app.test_client().get(
            "/whoami",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        assert answer.get_data(as_text=True) == expected


def test_staff_times_show_on_the_practice_clock(app):
    from datetime import datetime

    from portal.main.context import practice_time
    from portal.practice import get_settings

    settings = get_settings()
    settings.timezone = "America/New_York"
    settings.save()
    shown = practice_time(datetime(2026, 7, 1, 16, 0))
    assert (shown.hour, shown.tzname()) == (12, "EDT")
    settings.timezone = "Not/AZone"
    settings.save()
    assert practice_time(datetime(2026, 7, 1, 16, 0)).hour == 16
    assert practice_time(None) is None
