"""What a prompt shows (link, QR code, share buttons) and what the member did.

Every address in a prompt carries channel ``email`` and the prompt's
reference, so the clicks and sign-ups it brings are credited to it; opening
the share page and tapping a share button are recorded on the prompt.
"""

from datetime import timedelta
from urllib.parse import quote

from flask_babel import gettext

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import Consent, Member, Prompt
from portal.practice import get_settings
from portal.prompts import tokens
from portal.referrals.links import primary_link, referral_url
from portal.web import external_url

# The query parameter the referral redirect stores in Click.prompt_id.
PROMPT_PARAM = "p"
SHARE_CHANNELS = ("sms", "email", "whatsapp")
# After a month the card has said what it had to say.
CARD_DAYS = 30


def prompt_ref(prompt):
    return str(prompt.id)


def prompt_url(link, prompt):
    """The member's referral address as sent in this prompt."""
    return f"{referral_url(link, 'email')}&{PROMPT_PARAM}={prompt_ref(prompt)}"


def share_targets(url):
    """Addresses that open the member's own apps with a message ready to send."""
    name = get_settings().name or gettext("my practice")
    message = gettext(
        "Thought you might like %(practice)s: %(url)s", practice=name, url=url
    )
    subject = gettext("A practice you might like")
    return {
        "sms": "sms:?&body=" + quote(message),
        "email": f"mailto:?subject={quote(subject)}&body={quote(message)}",
        "whatsapp": "https://wa.me/?text=" + quote(message),
    }


def context(prompt, member):
    """Everything the prompt email, the share page and the card show."""
    link = primary_link(member)
    token = tokens.share_token(prompt.id)
    return {
        "prompt": prompt,
        "first_name": member.first_name,
        "link": link,
        "address": prompt_url(link, prompt),
        "qr_url": external_url(
            "referrals.qr_image",
            code=link.code,
            fmt="png",
            c="email",
            **{PROMPT_PARAM: prompt_ref(prompt)},
        ),
        "page_url": external_url("prompts.share", token=token),
        "buttons": {
            channel: external_url("prompts.share_via", token=token, channel=channel)
            for channel in SHARE_CHANNELS
        },
        "token": token,
    }


def mark_opened(prompt_id, now=None):
    """Record the first opening of a prompt."""
    Prompt.update(opened_at=now or utcnow()).where(
        Prompt.id == prompt_id, Prompt.opened_at.is_null()
    ).execute()


def mark_shared(prompt_id, now=None):
    """Record the first share from a prompt (which also means it was opened)."""
    now = now or utcnow()
    mark_opened(prompt_id, now)
    Prompt.update(shared_at=now).where(
        Prompt.id == prompt_id, Prompt.shared_at.is_null()
    ).execute()


def dismiss(prompt_id, now=None):
    Prompt.update(dismissed_at=now or utcnow()).where(
        Prompt.id == prompt_id, Prompt.dismissed_at.is_null()
    ).execute()


def stop_prompts(member, now=None):
    """The member asked not to be asked again: record it and call off what waits."""
    from portal.referrals.intake import CONSENT_VERSION

    now = now or utcnow()
    with write_transaction():
        Member.update(prompts_opt_out=True).where(Member.id == member.id).execute()
        Consent.create(
            member=member.id,
            kind="prompts",
            granted=False,
            version=CONSENT_VERSION,
            source="prompt",
            recorded_at=now,
        )
        cancelled = (
            Prompt.update(
                status="cancelled",
                reason_code="member_opted_out",
                reason_detail="member_opted_out",
                scheduled_for=None,
            )
            .where(Prompt.member == member.id, Prompt.status == "scheduled")
            .execute()
        )
        Prompt.update(dismissed_at=now).where(
            Prompt.member == member.id, Prompt.dismissed_at.is_null()
        ).execute()
        audit.record(
            f"member:{member.id}",
            "member.prompts_stopped",
            f"member:{member.id}",
            {"cancelled": cancelled},
        )


def open_prompt_for(member):
    """The prompt the member's dashboard shows: sent, not acted on, not dismissed."""
    return (
        Prompt.select()
        .where(
            Prompt.member == member.id,
            Prompt.status == "sent",
            Prompt.shared_at.is_null(),
            Prompt.dismissed_at.is_null(),
            Prompt.sent_at >= utcnow() - timedelta(days=CARD_DAYS),
        )
        .order_by(Prompt.sent_at.desc())
        .first()
    )
