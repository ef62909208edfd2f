"""Every message has Spanish, and pages, dates and money follow the language."""

import re
from datetime import datetime

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal.i18n import SOURCES, usd, usd_whole, when
from portal.i18n_extract import extract_messages, missing_from
from portal.models import PracticeSettings, ServiceLine
from portal.recognition import workflow
from tests import recognition_support as support
from tests.conftest import sign_in

SPANISH = SOURCES / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&#?\w+;")


@pytest.fixture(scope="module")
def source_messages():
    """The messages the code and templates use now, not a saved template."""
    return extract_messages()


@pytest.fixture(scope="module")
def spanish():
    with SPANISH.open("rb") as po:
        return read_po(po)


def test_every_message_in_the_code_has_spanish(source_messages, spanish):
    missing = missing_from(source_messages, spanish)
    assert not missing, (
        f"{len(missing)} message(s) without Spanish; run `make messages` and "
        "translate them in "
        + str(SPANISH.relative_to(SOURCES.parent.parent))
        + ":\n"
        + "\n".join(missing)
    )


def _marks(text):
    return sorted(PLACEHOLDER.findall(text)), sorted(MARKUP.findall(text))


def test_translations_keep_placeholders_and_markup(source_messages, spanish):
    wrong = []
    for message in source_messages:
        found = spanish.get(message.id)
        if not message.id or found is None:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = found.string if found.pluralizable else (found.string,)
        expected = _marks(ids[-1])
        for string in strings:
            if string and _marks(string) != expected:
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert not wrong, "Placeholders or markup differ:\n" + "\n".join(wrong)


def test_extraction_reaches_partials_and_marked_tables(source_messages):
    places = {path for message in source_messages for path, _ in message.locations}
    assert "templates/_partials/_signup_form.html" in places
    assert "portal/prompts/rules.py" in places  # N_() marks in a Flask-free module
    assert "portal/main/context.py" in places  # the menu and the error pages


def test_a_message_without_spanish_is_reported(tmp_path, spanish):
    partials = tmp_path / "templates" / "_partials"
    partials.mkdir(parents=True)
    (partials / "_new.html").write_text(
        '<p>{{ _("Skip to main content") }} {{ _("A sentence nobody translated") }}</p>'
    )
    found = extract_messages(tmp_path)
    assert missing_from(found, spanish) == ["A sentence nobody translated"]


@pytest.fixture
def practice(app):
    PracticeSettings.create(
        id=1,
        name="Maple Grove",
        postal_address="12 Elm St, Raleigh, NC 27601",
        help_phone="919-555-0100",
        setup_completed_at=datetime(2026, 1, 2),
    )
    ServiceLine.create(name="Pediatrics", slug="pediatrics")


def spanish_page(client, path):
    response = client.get(path, headers={"Accept-Language": "es-MX,es;q=0.9"})
    return response.status_code, response.get_data(as_text=True)


def test_key_pages_are_in_spanish(client, practice):
    status, home = spanish_page(client, "/")
    assert status == 200 and '<html lang="es">' in home
    assert "Comparta la atención en la que confía" in home
    assert "Declaración de accesibilidad" in home and "Asistencia con el idioma" in home
    assert "Share the care you trust" not in home

    _, join = spanish_page(client, "/join")
    assert "Pedir una cita" in join and "¿Cómo nos conoció?" in join

    _, login = spanish_page(client, "/login")
    assert "Iniciar sesión" in login and "No necesita contraseña" in login

    status, missing = spanish_page(client, "/no-such-page")
    assert status == 404 and "No encontramos esa página" in missing
    assert "We could not find that page" not in missing


def test_accessibility_and_language_help_say_how_to_ask(client, practice):
    _, statement = spanish_page(client, "/accessibility")
    assert "<h2>Cómo pedir ayuda</h2>" in statement
    assert 'href="tel:919-555-0100"' in statement
    assert "Ayuda en otro idioma, incluido un intérprete sin costo" in statement

    _, notice = spanish_page(client, "/language-help")
    assert "puede pedir un intérprete" in notice
    assert "díganos qué idioma necesita" in notice
    assert "ATENCIÓN" not in notice  # the Spanish tagline is for English pages

    english = client.get("/language-help").get_data(as_text=True)
    assert '<p lang="es">ATENCIÓN' in english
    assert '<span lang="es">Ayuda con el idioma</span>' in english


def test_the_language_switch_is_labelled_in_both_languages(client, practice):
    _, home = spanish_page(client, "/")
    assert 'Idioma / <span lang="en">Language</span>' in home
    assert '<option value="es" lang="es" selected>Español</option>' in home
    english = client.get("/").get_data(as_text=True)
    assert 'Language / <span lang="es">Idioma</span>' in english


def test_dates_money_and_numbers_follow_the_language(app):
    moment = datetime(2026, 3, 5, 14, 7)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        # Spanish as written in the United States: US money and a 12-hour clock.
        assert when(moment) == "5 mar 2026, 2:07\u202fp.m."
        assert usd(1500) == "$15.00"
        assert usd_whole(123456) == "$1,235"
    with app.test_request_context():
        assert when(moment) == "Mar 5, 2026, 2:07\u202fPM"
        assert usd(1500) == "$15.00" and usd_whole(123456) == "$1,235"
    with force_locale("es"):
        assert usd(None) == "—"


def test_staff_pages_show_spanish_dates_and_amounts(client, practice):
    support.signed_policy()
    items = support.catalog()
    ambassador = support.member(first_name="Rosa", last_name="Reyes")
    referred = support.signup(ambassador, created_at=datetime(2026, 3, 5, 15, 0))
    workflow.propose(ambassador, "first_visit", referred)
    staff = support.staff("manager")
    sign_in(client, f"s:{staff.id}:{staff.session_version}")

    _, queue = spanish_page(client, "/staff/recognition/")
    assert "Aprobación de reconocimientos" in queue
    assert "del límite anual de $75.00" in queue
    assert items["bottle"].name in queue and "$12.00" in queue
    assert "This year so far" not in queue

    _, ledger = spanish_page(client, f"/staff/recognition/members/{ambassador.id}")
    assert "Registro de reconocimientos: Rosa Reyes" in ledger
    assert "$15.00" in ledger  # the per-item cap

    _, signups = spanish_page(client, "/staff/signups")
    assert "5 mar 2026" in signups and "2026-03-05" not in signups
    assert ">Solicitudes<" in signups  # the menu entry
