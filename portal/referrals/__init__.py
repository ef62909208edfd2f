"""Referral links, the redirect and its clicks, QR codes, referral pages, sign-ups."""

from flask import Blueprint

bp = Blueprint("referrals", __name__)

from portal.referrals import views  # noqa: E402,F401
