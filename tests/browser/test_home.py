"""The home page opens in a real browser with no request leaving the machine."""

from tests.browser.conftest import save_screenshot


def test_home_page_opens_in_chromium_without_outside_requests(page, live_server):
    hosts = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    page.goto(live_server.url + "/")

    assert page.locator("h1").first.is_visible()
    assert page.title()
    assert set(hosts) == {live_server.url.split("/")[2]}
    assert page.evaluate("typeof window.htmx") == "object"
    assert errors == []
    save_screenshot(page, "home-en-390")


def test_home_page_switches_to_spanish(page, live_server):
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "es")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "es"
