"""Helpers for attribution and report tests: people, sign-ups, a webhook receiver."""

import hashlib
import hmac
import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portal import events
from portal.db import utcnow, write_transaction
from portal.models import (
    Location,
    Member,
    ReferralLink,
    ServiceLine,
    SignUp,
    StaffUser,
)

PERSONAL = ("Ana", "Alvarez", "ana.friend@example.net", "+19195550199")


def practice():
    line, _ = ServiceLine.get_or_create(
        slug="primary-care", defaults={"name": "Primary"}
    )
    place, _ = Location.get_or_create(slug="downtown", defaults={"name": "Downtown"})
    return line, place


def ambassador(n=1):
    member = Member.create(
        email=f"amb{n}@example.com", first_name=f"Amb{n}", last_name="Assador"
    )
    ReferralLink.create(member=member, code=f"CODE{n:04d}")
    return member


def staff(role="manager", email=None):
    return StaffUser.create(email=email or f"{role}@practice.example", role=role)


def signup(member=None, when=None, how_heard=None, channel="link", **fields):
    """Store a sign-up the way intake does and send signup_created with it."""
    line, place = practice()
    first, last, email, phone = PERSONAL
    values = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": phone,
        "service_line": line,
        "location": place,
        "how_heard": how_heard or ("patient_referral" if member else "paid_search"),
        "ambassador": member,
        "channel": channel if member else None,
        "attribution_method": "link" if member else "none",
        "utm_source": "newsletter",
        "created_at": when or utcnow(),
    }
    values.update(fields)
    with write_transaction():
        row = SignUp.create(**values)
        events.signup_created.send(row)
    return row


def move(row, status, when=None):
    """Change a sign-up's status the way staff do and send the signal."""
    old = row.status
    with write_transaction():
        row.status = status
        row.status_changed_at = when or utcnow()
        if status == "became_patient":
            row.became_patient_at = row.status_changed_at
        row.save()
        events.signup_status_changed.send(row, old_status=old, new_status=status)
    return row


def at(text):
    return datetime.fromisoformat(text)


SECRET = "a-long-shared-secret-for-the-test-receiver"


class Receiver:
    """A local HTTP endpoint that fails its first requests, then answers 204."""

    def __init__(self, fail_first=0, delay=0.0):
        self.fail_first = fail_first
        self.delay = delay
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    ok = len(receiver.requests) >= receiver.fail_first
                    receiver.requests.append((dict(self.headers), body, ok))
                time.sleep(receiver.delay)
                self.send_response(204 if ok else 503)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/portal"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self):
        return [(h, json.loads(b)) for h, b, ok in self.requests if ok]

    def refused(self):
        return [json.loads(b) for h, b, ok in self.requests if not ok]


def valid_signature(headers, body_bytes):
    parts = dict(p.split("=", 1) for p in headers["X-Portal-Signature"].split(","))
    message = f"{parts['t']}.".encode() + body_bytes
    expected = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
