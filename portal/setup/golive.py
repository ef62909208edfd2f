"""Going live: the referral pages as a zip, and the front-desk card sheets."""

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app

from portal.landing import builder
from portal.models import Member
from portal.referrals.links import primary_link, referral_url

# The tags a practice card's sign-ups carry, so reports can tell them apart.
PRACTICE_CARD_TAGS = {"utm_source": "front_desk_card", "utm_medium": "print"}
MAX_CARDS = 40
SEARCH_LIMIT = 30


def public_base():
    return current_app.config["PUBLIC_BASE_URL"]


def landing_zip():
    """Build the static referral pages into a temporary folder; return zip bytes."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="portal-landing-") as folder:
        report = builder.build(folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue(), len(report.pages)


def find_members(query, limit=SEARCH_LIMIT):
    """Members whose name or email contains the words typed, newest first."""
    members = Member.select().where(Member.erased_at.is_null())
    for word in (query or "").split()[:4]:
        members = members.where(
            Member.first_name.contains(word)
            | Member.last_name.contains(word)
            | Member.email.contains(word)
        )
    return list(members.order_by(Member.id.desc()).limit(limit))


@dataclass
class Card:
    """One wallet card: a member's referral link, or the practice's own page."""

    qr_src: str
    address: str
    code_text: str
    for_whom: str


def member_cards(member_ids, qr_src):
    """Cards for chosen members, each on the member's own primary link."""
    chosen = (
        Member.select()
        .where(Member.id.in_(list(member_ids)[:MAX_CARDS]), Member.erased_at.is_null())
        .order_by(Member.last_name, Member.first_name)
    )
    cards = []
    for member in chosen:
        link = primary_link(member)
        cards.append(
            Card(
                qr_src=qr_src(link.code),
                address=referral_url(link),
                code_text=spaced(link.code),
                for_whom=member.display_name,
            )
        )
    return cards


def spaced(code):
    """Print a code in two halves, as the referral card does, to read out."""
    return f"{code[:5]}-{code[5:]}" if len(code) == 10 else code


def practice_address():
    """The general referral page, tagged so its sign-ups show as card sign-ups."""
    return f"{public_base()}/join?{urlencode(PRACTICE_CARD_TAGS)}"


def practice_cards(copies, qr_src):
    copies = max(1, min(int(copies), MAX_CARDS))
    address = practice_address()
    return [Card(qr_src, address, "", "") for _ in range(copies)]
