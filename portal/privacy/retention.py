"""Deleting what the portal no longer needs, on a schedule.

Lifetimes: a click's address hash is kept for CLICK_HASH_DAYS (it only ever
matters for spotting a burst of fake clicks); clicks themselves for the
practice's click_retention_days; spent or expired one-time tokens for a day;
the bodies of sent email for EMAIL_BODY_DAYS (the row, its kind and status
stay for the record); delivered webhook attempts for DELIVERY_DAYS.
"""

from datetime import timedelta

from huey import crontab

from portal import audit
from portal.db import database, utcnow
from portal.models import Click, OneTimeToken, OutboxMessage, WebhookDelivery
from portal.practice import get_settings
from portal.tasks import app_context, huey

CLICK_HASH_DAYS = 30
EMAIL_BODY_DAYS = 90
DELIVERY_DAYS = 90


def run(now=None):
    """Apply every lifetime once; return what was removed, by kind."""
    now = now or utcnow()
    settings = get_settings()
    with database.atomic():
        removed = {
            "click_hashes": Click.update(ip_hash=None)
            .where(
                Click.clicked_at < now - timedelta(days=CLICK_HASH_DAYS),
                Click.ip_hash.is_null(False),
            )
            .execute(),
            "clicks": Click.delete()
            .where(
                Click.clicked_at < now - timedelta(days=settings.click_retention_days)
            )
            .execute(),
            "tokens": OneTimeToken.delete()
            .where(OneTimeToken.expires_at < now - timedelta(days=1))
            .execute(),
            "email_bodies": OutboxMessage.update(text_body="", html_body="")
            .where(
                OutboxMessage.status.in_(("sent", "suppressed", "failed")),
                OutboxMessage.created_at < now - timedelta(days=EMAIL_BODY_DAYS),
                OutboxMessage.text_body != "",
            )
            .execute(),
            "webhook_deliveries": WebhookDelivery.delete()
            .where(
                WebhookDelivery.status == "delivered",
                WebhookDelivery.delivered_at < now - timedelta(days=DELIVERY_DAYS),
            )
            .execute(),
        }
        audit.record("system", "retention.run", "", removed)
    return removed


@huey.periodic_task(crontab(minute="40", hour="3"))
def nightly_retention():
    with app_context():
        return run()
