"""Sign-ups from the referral pages: validation, attribution, flags, guards."""

from datetime import timedelta

import pytest

from portal import events
from portal.db import database, utcnow
from portal.extensions import limiter
from portal.models import (
    AuditEvent,
    Click,
    Location,
    Member,
    OutboxMessage,
    PracticeSettings,
    ServiceLine,
    SignUp,
)
from portal.referrals import links
from tests.conftest import PHONE, make_app
from tests.test_referrals_redirect import visit


@pytest.fixture
def practice(app):
    PracticeSettings.create(
        id=1, name="Maple Grove", allowed_origins="https://pages.example"
    )
    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    Location.create(name="Downtown", slug="downtown")
    ana = Member.create(
        email="ana@example.com", first_name="Ana", phone="+19195550101", household="H1"
    )
    return links.primary_link(ana)


def form(**overrides):
    data = {
        "first_name": "Ben",
        "last_name": "Okafor",
        "email": "ben@example.net",
        "service_line": "pediatrics",
        "location": "downtown",
        "how_heard": "patient_referral",
        "email_consent": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_qr_click_then_sign_up_is_credited_with_the_qr_channel(client, practice):
    landing = visit(client, f"/r/{practice.code}?c=qr").headers["Location"]
    page = client.get(landing).get_data(as_text=True)
    assert f'value="{practice.code}"' in page and 'value="address"' in page

    response = client.post(
        "/join", data=form(code=practice.code, code_source="address")
    )

    assert response.status_code == 303
    signup = SignUp.get()
    assert signup.ambassador_id == practice.member_id
    assert (signup.channel, signup.attribution_method) == ("qr", "click")
    assert signup.click_id == Click.get().id
    assert (
        signup.service_line.slug == "pediatrics" and signup.location.slug == "downtown"
    )
    assert signup.how_heard == "patient_referral"
    assert not signup.self_referral and not signup.existing_patient
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you, Ben!" in thanks
    assert "ben@example.net" not in response.headers["Location"]


def test_a_typed_code_is_credited_with_the_typed_channel(client, practice):
    spaced = f"{practice.code[:5].lower()} - {practice.code[5:]}"
    client.post("/join", data=form(code=spaced, how_heard=""))
    signup = SignUp.get()
    assert signup.ambassador_id == practice.member_id
    assert (signup.channel, signup.attribution_method) == ("typed", "typed")
    assert signup.code_entered == practice.code
    assert signup.how_heard == "patient_referral"


def test_a_code_from_the_address_without_a_click_counts_as_link(client, practice):
    client.post("/join", data=form(code=practice.code, code_source="address"))
    assert (SignUp.get().channel, SignUp.get().attribution_method) == ("link", "code")


def test_without_a_code_an_earlier_click_from_this_browser_gets_the_credit(
    client, practice
):
    visit(client, f"/r/{practice.code}?c=email")
    client.post("/join", data=form(how_heard="organic_search"))
    signup = SignUp.get()
    assert signup.ambassador_id == practice.member_id
    assert (signup.channel, signup.attribution_method) == ("email", "cookie")
    assert signup.how_heard == "organic_search"


def test_a_click_older_than_the_window_earns_nothing(client, practice):
    visit(client, f"/r/{practice.code}")
    Click.update(clicked_at=utcnow() - timedelta(days=91)).execute()
    client.post("/join", data=form(how_heard="event"))
    signup = SignUp.get()
    assert signup.ambassador_id is None and signup.channel is None
    assert signup.attribution_method == "none" and signup.how_heard == "event"


@pytest.mark.parametrize(
    "contact",
    [
        {"email": "ANA@example.com"},
        {"email": "", "phone": "(919) 555-0101", "email_consent": None},
        {"email": "dev@example.com", "email_consent": ""},
    ],
)
def test_self_referrals_are_flagged(client, practice, contact):
    Member.create(email="dev@example.com", first_name="Dev", household="H1")
    client.post("/join", data=form(code=practice.code, **contact))
    signup = SignUp.get()
    assert signup.self_referral is True
    assert signup.existing_patient is True
    assert signup.ambassador_id == practice.member_id  # visible, never rewarded


def test_existing_patients_are_flagged(client, practice):
    Member.create(email="carla@example.com", first_name="Carla")
    client.post("/join", data=form(code=practice.code, email="carla@example.com"))
    signup = SignUp.get()
    assert signup.existing_patient is True and signup.self_referral is False


def test_errors_show_next_to_their_fields_and_store_nothing(client, practice):
    response = client.post(
        "/join",
        data=form(
            first_name="",
            email="not-an-email",
            phone="12",
            how_heard="other",
            code="O0O0",
            sms_consent="1",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="err-first_name"' in page and 'id="err-email"' in page
    assert 'id="err-phone"' in page and 'id="err-code"' in page
    assert 'aria-describedby="err-email"' in page
    assert "Please enter an email address like name@example.com." in page
    assert 'value="not-an-email"' in page  # what was typed stays in the form
    assert SignUp.select().count() == 0


def test_cross_field_rules(client, practice):
    page = client.post(
        "/join", data=form(email="", sms_consent="1", how_heard="other")
    ).get_data(as_text=True)
    assert "Please give an email address or a phone number." in page
    assert "To be texted, please give a mobile number." in page
    unknown = client.post("/join", data=form(code="2345623456")).get_data(as_text=True)
    assert "We could not find an active referral code like that." in unknown
    assert SignUp.select().count() == 0


def test_the_honeypot_stores_nothing_but_looks_like_success(client, practice):
    response = client.post("/join", data=form(website="http://spam.example"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/join/thanks?lang=en"
    assert SignUp.select().count() == 0


def test_confirmation_email_only_with_consent_to_email(client, practice):
    client.post("/join", data=form())
    client.post("/join", data=form(email="eve@example.net", email_consent=None))
    messages = list(OutboxMessage.select())
    assert [m.to_email for m in messages] == ["ben@example.net"]
    assert messages[0].kind == "signup_confirmation"
    assert "Ben" in messages[0].subject and "Maple Grove" in messages[0].text_body


def test_each_sign_up_is_announced_and_audited(client, practice):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender.id)

    events.signup_created.connect(receiver)
    try:
        client.post("/join", data=form(code=practice.code))
    finally:
        events.signup_created.disconnect(receiver)
    signup = SignUp.get()
    assert seen == [signup.id]
    event = AuditEvent.get(AuditEvent.action == "signup.created")
    assert event.subject == f"signup:{signup.id}"
    assert event.detail["ambassador"] == f"member:{practice.member_id}"
    assert "ben@example.net" not in str(event.detail)


def test_the_friend_sees_the_first_name_only_if_the_member_chose_it(client, practice):
    page = client.get(f"/join?ref={practice.code}").get_data(as_text=True)
    assert "Ana invited you" not in page
    Member.update(named_to_friends=True, last_name="Alvarez").execute()
    page = client.get(f"/join?ref={practice.code}").get_data(as_text=True)
    assert "Ana invited you" in page and "Alvarez" not in page


def test_service_line_pages_show_what_the_line_offers(client, practice):
    page = client.get("/join/pediatrics").get_data(as_text=True)
    assert "Pediatric care for growing families" in page
    assert "Newborn and well-child visits" in page
    assert '<option value="pediatrics" selected>' in page
    assert client.get("/join/no-such-line").status_code == 404
    spanish = client.get("/join/pediatrics", headers={"Accept-Language": "es"})
    html = spanish.get_data(as_text=True)
    assert "Pediatría para familias que crecen" in html
    assert "Pedir una cita" in html and "¿Cómo nos conoció?" in html
    assert "Me lo contó un paciente o un amigo" in html


def test_errors_are_in_the_friends_language(client, practice):
    response = client.post(
        "/join", data=form(email="nope"), headers={"Accept-Language": "es"}
    )
    assert "Escriba un correo electrónico como" in response.get_data(as_text=True)
    # A static page in Spanish says so in the form, whatever the browser asks for.
    static = client.post("/join", data=form(email="nope", language="es"))
    assert "Escriba un correo electrónico como" in static.get_data(as_text=True)
    done = client.post("/join", data=form(language="es"))
    assert done.headers["Location"].endswith("&lang=es")
    assert "¡Gracias, Ben!" in client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    assert SignUp.get().language == "es"


@pytest.fixture
def guarded(app, tmp_path, practice):
    database.close()  # the second app binds its own connection
    app = make_app(
        tmp_path,
        app.config["DATABASE_URL"],
        WTF_CSRF_ENABLED=True,
        ALLOWED_ORIGINS="https://cdn.example",
    )
    return app.test_client()


def test_posts_need_csrf_unless_from_an_allowed_static_origin(guarded, practice):
    no_token = guarded.post("/join", data=form())
    assert no_token.status_code == 400
    foreign = guarded.post(
        "/join", data=form(), headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert SignUp.select().count() == 0

    for origin in ("https://pages.example", "https://cdn.example"):
        response = guarded.post(
            "/join", data=form(email=f"x@{origin[8:]}"), headers={"Origin": origin}
        )
        assert response.status_code == 303
    assert [s.origin for s in SignUp.select().order_by(SignUp.id)] == ["static"] * 2


def test_the_portal_form_posts_with_its_csrf_token(guarded, practice):
    page = guarded.get("/join").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = guarded.post(
        "/join", data=form(csrf_token=token), headers={"Origin": "http://localhost"}
    )
    assert response.status_code == 303
    assert SignUp.get().origin == "portal"


def test_sign_ups_are_rate_limited(app, tmp_path, practice):
    database.close()
    app = make_app(tmp_path, app.config["DATABASE_URL"], RATELIMIT_ENABLED=True)
    limiter.reset()  # Redis (REDIS_URL, as in CI) keeps counts from earlier runs
    client = app.test_client()
    statuses = [
        client.post("/join", data=form(email=f"p{n}@example.net")).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [303] * 10
    assert statuses[10] == 429
    assert SignUp.select().count() == 10


def test_utm_tags_pass_from_the_redirect_to_the_sign_up(client, practice):
    landing = visit(
        client, f"/r/{practice.code}?utm_source=newsletter&utm_campaign=spring"
    ).headers["Location"]
    page = client.get(landing).get_data(as_text=True)
    assert 'name="utm_source" value="newsletter"' in page
    client.post(
        "/join",
        data=form(code=practice.code, utm_source="newsletter", utm_campaign="spring"),
    )
    signup = SignUp.get()
    assert (signup.utm_source, signup.utm_campaign) == ("newsletter", "spring")
    assert PHONE  # the same browser as the click
