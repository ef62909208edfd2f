"""Public pages pass axe-core's serious and critical checks at phone width."""

import pytest

from tests.browser.conftest import axe_violations, layout_problems

PUBLIC_PAGES = ["/", "/accessibility", "/language-help", "/no-such-page"]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(axe_page, live_server, path, language):
    axe_page.set_extra_http_headers({"Accept-Language": language})
    axe_page.goto(live_server.url + path)
    assert axe_page.locator("html").get_attribute("lang") == language
    assert axe_violations(axe_page) == []
    assert layout_problems(axe_page) == []


def test_the_checks_catch_a_broken_page(axe_page):
    axe_page.set_content(
        '<html><body><input type="text"><img src="x.png">'
        '<button style="height:20px;width:300px">Go</button>'
        '<div style="width:900px">wide</div></body></html>'
    )
    found = " ".join(axe_violations(axe_page))
    assert "label" in found and "image-alt" in found and "html-has-lang" in found
    problems = " ".join(layout_problems(axe_page))
    assert "scrolls sideways" in problems and "small target 300x20" in problems
