"""Counting clicks on referral links without keeping who clicked.

A click keeps a keyed hash of the address (the key changes every day, so the
same address cannot be followed from one day to the next), the browser family
only, and a random first-party visitor id used to credit a later sign-up.
"""

import hashlib
import hmac
import re
import secrets
import threading
import time
from datetime import date, timedelta
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from flask import current_app
from ua_parser import parse_user_agent

from portal.db import database, is_sqlite, utcnow
from portal.models import Click, PracticeSettings

VISITOR_COOKIE = "pv"
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DEFAULT_WINDOW_DAYS = 90

# Apps that fetch a link to draw its preview card; crawlerdetect knows most,
# these are named here so a change in its list cannot start counting them.
_PREVIEW_FETCHERS = re.compile(
    r"facebookexternalhit|facebot|twitterbot|slackbot|whatsapp|telegrambot|"
    r"discordbot|linkedinbot|skypeuripreview|applebot|redditbot|embedly|"
    r"pinterest|iframely|bitlybot|vkshare|snapchat|viber|mastodon|bluesky|"
    r"google-pagerenderer|yahoo link preview|microsoft preview",
    re.IGNORECASE,
)
_sqlite_writer = threading.Lock()
_PREFETCH_HEADERS = ("Purpose", "Sec-Purpose", "X-Purpose", "X-Moz")
_crawlers = CrawlerDetect()


def is_countable(method, user_agent, headers):
    """Decide whether a request to a referral link is a person's click."""
    if method != "GET" or not user_agent:
        return False
    for name in _PREFETCH_HEADERS:
        if "prefetch" in headers.get(name, "").lower():
            return False
    return _is_person(user_agent)


@lru_cache(maxsize=4096)
def _is_person(user_agent):
    # Phones send a handful of distinct user agents; the crawler patterns are
    # a long regular expression, so each distinct agent is judged once.
    if _PREVIEW_FETCHERS.search(user_agent):
        return False
    return not _crawlers.is_crawler(user_agent)


@lru_cache(maxsize=4096)
def browser_family(user_agent):
    """Return only the browser's family name, e.g. 'Mobile Safari'."""
    parsed = parse_user_agent(user_agent[:512]) if user_agent else None
    family = parsed.family if parsed else "Other"
    return family[:64]


@lru_cache(maxsize=8)
def _day_key(secret, day):
    material = f"click-address:{day.isoformat()}".encode()
    return hmac.new(secret.encode(), material, hashlib.sha256).digest()


def address_hash(address, day=None):
    """Hash an IP address with a key derived from SECRET_KEY and the day."""
    if not address:
        return None
    key = _day_key(current_app.config["SECRET_KEY"], day or date.today())
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def visitor_id(cookie_value):
    """Keep a well-formed visitor id from the cookie, or draw a new one."""
    if cookie_value and _VISITOR.match(cookie_value):
        return cookie_value
    return secrets.token_urlsafe(18)


def valid_visitor(cookie_value):
    return cookie_value if cookie_value and _VISITOR.match(cookie_value) else None


_INSERT_COLUMNS = (
    Click.link,
    Click.channel,
    Click.clicked_at,
    Click.ip_hash,
    Click.browser_family,
    Click.visitor,
    Click.prompt_id,
)


@lru_cache(maxsize=4)
def _insert_sql(database_class):
    # Compiled once per kind of database, like the redirect's lookup: building
    # the statement each time cost more than running it.
    sql, _ = Click.insert({column: "" for column in _INSERT_COLUMNS}).sql()
    return sql


def record(link_id, channel, address, user_agent, visitor, prompt_id=None):
    """Store one click: the only write the redirect makes."""
    values = (
        link_id,
        channel,
        utcnow(),
        address_hash(address),
        browser_family(user_agent),
        visitor,
        prompt_id,
    )
    sql = _insert_sql(type(database.obj))
    if is_sqlite():
        # SQLite takes one writer at a time and makes the others sleep and
        # retry; queueing this process's threads on a lock instead wakes each
        # as soon as the one before it is done.
        with _sqlite_writer:
            database.execute_sql(sql, values)
    else:
        database.execute_sql(sql, values)


def prompt_ref(value):
    """Keep a prompt reference (p=) from a prompt email's link, if well formed."""
    return value if value and value.isdigit() and len(value) <= 12 else None


_window_cache = {"value": DEFAULT_WINDOW_DAYS, "read_at": 0.0, "app": None}
_WINDOW_TTL_SECONDS = 60


def window_days(fresh=False):
    """Return the attribution window, read at most once a minute per process.

    The redirect must stay at one lookup and one insert, so it reads this
    practice-wide number from a short cache instead of the database.
    """
    app = current_app._get_current_object()
    cache = _window_cache
    stale = time.monotonic() - cache["read_at"] > _WINDOW_TTL_SECONDS
    if fresh or stale or cache["app"] is not app:
        row = PracticeSettings.get_or_none(PracticeSettings.id == 1)
        days = row.attribution_window_days if row else DEFAULT_WINDOW_DAYS
        cache.update(value=max(int(days or 0), 1), read_at=time.monotonic(), app=app)
    return cache["value"]


def forget_window():
    """Drop the cached window, e.g. after staff change it."""
    _window_cache["read_at"] = 0.0


def latest_click(visitor, window, link_id=None):
    """Return this browser's latest counted click within the window, if any."""
    if not visitor:
        return None
    since = utcnow() - timedelta(days=window)
    query = Click.select().where(Click.visitor == visitor, Click.clicked_at >= since)
    if link_id is not None:
        query = query.where(Click.link == link_id)
    return query.order_by(Click.clicked_at.desc(), Click.id.desc()).first()
