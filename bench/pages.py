"""Page weight: bytes and requests for the pages a patient and a friend open.

Chromium loads each page with an empty cache from a portal under gunicorn and
the static referral page from a plain file server; every response body is
counted, and any request to another host is reported.
"""

import http.server
import re
import shutil
import signal
import tempfile
import threading
import time
from email import policy
from email.parser import BytesParser
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from common import (
    free_port,
    portal_command,
    production_env,
    row,
    start,
    wait_until_up,
    write,
)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIMIT_KB = 60
MEMBER = "ana.alvarez.1@example.com"


def weigh(browser, url, prepare=None):
    """Open url in a fresh context; return (bytes, requests, other hosts)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    if prepare:
        prepare(context)
    page = context.new_page()
    seen = []

    def finished(request):
        sizes = request.sizes()  # bytes on the wire: compressed body and headers
        seen.append(
            (request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"])
        )

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    host = urlparse(url).netloc
    others = sorted({urlparse(u).netloc for u, _ in seen} - {host})
    total = sum(size for _, size in seen)
    context.close()
    return total, len(seen), others


def sign_in_cookies(browser, base, outbox):
    """Sign the member in through the emailed link and return the cookies."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=email]", MEMBER)
    page.click("main button[type=submit]")
    link = None
    deadline = time.monotonic() + 30
    while link is None and time.monotonic() < deadline:
        time.sleep(0.2)  # until the worker has written the email
        for path in outbox.glob("*.eml"):
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            body = message.get_body(preferencelist=("plain",))
            found = re.search(
                r"(http://\S+/login/\S+)", body.get_content() if body else ""
            )
            link = found.group(1) if found else link
    page.goto(link)
    cookies = context.cookies()
    context.close()
    return cookies


def main():
    from playwright.sync_api import sync_playwright

    instance = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    static_dir = instance / "static-site"
    port, static_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = production_env(instance, port, RATELIMIT_ENABLED="false")
    portal_command("demo", env=env)
    portal_command("landing", "build", "--out", str(static_dir), env=env)
    server = start("gunicorn", "-c", "python:portal.gunicorn_conf", env=env)
    worker = start("huey_consumer", "portal.tasks.huey", "-q", env=env)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=static_dir)
    handler.log_message = lambda *args: None
    static = http.server.ThreadingHTTPServer(("127.0.0.1", static_port), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    rows = []
    try:
        wait_until_up(base + "/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
            )
            cookies = sign_in_cookies(browser, base, instance / "outbox")
            pages = [
                ("referral page /join", base + "/join", None),
                (
                    "static referral page",
                    f"http://127.0.0.1:{static_port}/index.html",
                    None,
                ),
                (
                    "member dashboard /me/",
                    base + "/me/",
                    lambda context: context.add_cookies(cookies),
                ),
            ]
            for name, url, prepare in pages:
                size, count, others = weigh(browser, url, prepare)
                kb = round(size / 1024, 1)
                rows.append(
                    row(
                        f"{name}: bytes ({count} requests)",
                        kb,
                        LIMIT_KB,
                        "KB",
                        f"< {LIMIT_KB} KB, no other host",
                        kb < LIMIT_KB and not others,
                        note=", ".join(others),
                    )
                )
            browser.close()
    finally:
        static.shutdown()
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)
    write("pages", rows)


if __name__ == "__main__":
    main()
