"""The checks setup shares with the command line, tested without the app."""

import io

import pytest
from PIL import Image

from portal.setup import checks, logo
from portal.setup.facts import looks_sensitive, slugify


def image_bytes(fmt, size=(40, 20), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, "navy").save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("#ffffff", "#000000", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#ffffff", "#767676", 4.54),
    ],
)
def test_contrast_ratio_follows_wcag(first, second, expected):
    assert checks.contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)


def test_a_dark_brand_colour_passes_and_a_light_one_is_refused_with_its_ratio():
    assert checks.colour_problem("#0b5563") is None
    problem = checks.colour_problem("#f2b134")
    assert "contrast ratio of 1.89:1" in problem
    assert "at least 4.5:1" in problem
    assert checks.colour_problem("teal") == "must be a colour like #0b5563"


def test_practice_needs_name_address_timezone_and_state():
    values, errors = checks.check_practice({})
    assert errors == {
        "name": "is required",
        "postal_address": "is required",
        "timezone": "is required",
        "us_state": "is required",
    }
    assert values["kind"] == "other" and values["membership_enabled"] is False


def test_practice_values_are_checked_and_normalised():
    values, errors = checks.check_practice(
        {
            "name": "  Cedar   Ridge ",
            "postal_address": "48 Orchard Lane\nAsheville, NC 28801",
            "timezone": "Mars/Olympus",
            "us_state": "zz",
            "kind": "spa",
            "membership_enabled": "on",
            "help_phone": "919 555 0142",
            "help_email": "not-an-address",
        }
    )
    assert values["name"] == "Cedar Ridge"
    assert values["postal_address"] == "48 Orchard Lane\nAsheville, NC 28801"
    assert values["membership_enabled"] is True
    assert values["help_phone"] == "+19195550142"
    assert set(errors) == {"timezone", "us_state", "kind", "help_email"}
    assert errors["timezone"] == "must be a time zone name like America/Chicago"
    assert errors["us_state"] == "must be a two-letter US state code like NC"


def test_practice_refuses_values_that_are_not_text():
    _, errors = checks.check_practice({"name": 12, "membership_enabled": 3})
    assert errors["name"] == "must be text"
    assert errors["membership_enabled"] == "must be true or false"


def test_branding_checks_colours_sender_and_reply_to():
    values, errors = checks.check_branding(
        {
            "primary": "#F2B134",
            "accent": "yellow",
            "sender_name": "Dr <x>",
            "reply_to": "x",
        }
    )
    assert "1.89:1" in errors["primary"]
    assert errors["accent"] == "must be a colour like #f2b134"
    assert "plain name" in errors["sender_name"]
    assert "reply_to" in errors
    values, errors = checks.check_branding({"reply_to": "Desk@Example.com"})
    assert errors == {}
    assert values == {
        "primary": "#0b5563",
        "accent": "#f2b134",
        "sender_name": "",
        "reply_to": "desk@example.com",
    }


def test_service_lines_get_slugs_and_sensitive_marks_from_their_names():
    values, errors = checks.check_service_line({"name": "Behavioral health"})
    assert errors == {} and values["slug"] == "behavioral-health"
    assert values["sensitive"] is True
    values, _ = checks.check_service_line(
        {"name": "Behavioral health", "sensitive": False}
    )
    assert values["sensitive"] is False
    _, errors = checks.check_service_line({"name": "Thanks"})
    assert errors["slug"] == "thanks is reserved; choose another"
    _, errors = checks.check_service_line({"name": "X", "slug": "Not A Slug"})
    assert errors["slug"] == "must be lower-case letters, digits and dashes"


def test_sensitive_words_match_whole_word_starts_only():
    assert looks_sensitive("STD testing") and looks_sensitive("Mental health")
    assert not looks_sensitive("Standard care") and not looks_sensitive("Orthodontics")
    assert slugify("Women's health") == "womens-health"


def test_plans_check_fee_and_window():
    values, errors = checks.check_plan({"name": "Family", "monthly_fee": 199.5})
    assert errors == {} and values["monthly_fee_cents"] == 19950
    _, errors = checks.check_plan(
        {"name": "", "monthly_fee": "lots", "cancellation_window_days": 400}
    )
    assert set(errors) == {"name", "monthly_fee", "cancellation_window_days"}


def test_allowed_origins_keep_sites_and_refuse_paths():
    text, errors = checks.check_origins("https://www.a.example\nhttps://WWW.A.example")
    assert errors == {} and text == "https://www.a.example"
    _, errors = checks.check_origins("https://a.example/join")
    assert "no path" in errors["allowed_origins"]


def test_logo_accepts_png_and_jpeg_and_strips_metadata():
    fmt, data = logo.check(image_bytes("PNG"))
    assert fmt == "png" and Image.open(io.BytesIO(data)).size == (40, 20)
    fmt, _ = logo.check(image_bytes("JPEG"))
    assert fmt == "jpg"


@pytest.mark.parametrize(
    "data, message",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "not a PNG or JPEG"),
        (image_bytes("GIF", mode="P"), "GIF images are not accepted"),
        (b"x" * (logo.MAX_BYTES + 1), "at most 1 MB"),
        (image_bytes("PNG", size=(4100, 10)), "at most 4000 pixels"),
        (b"", "Choose an image file"),
    ],
)
def test_logo_refuses_what_it_cannot_trust(data, message):
    with pytest.raises(logo.LogoRefused, match=message):
        logo.check(data)
