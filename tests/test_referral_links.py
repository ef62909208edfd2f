"""Referral links: one primary per member, per service line, revocable."""

import pytest

from portal.models import Member, ReferralLink, ServiceLine
from portal.referrals import links
from portal.referrals.codes import looks_valid


@pytest.fixture
def member(app):
    return Member.create(email="ana@example.com", first_name="Ana")


def test_primary_link_is_created_once_and_reused(member):
    first = links.primary_link(member)
    again = links.primary_link(member)
    assert first.id == again.id
    assert looks_valid(first.code)
    assert ReferralLink.select().where(ReferralLink.member == member).count() == 1


def test_a_revoked_primary_link_is_replaced_by_a_new_code(member):
    old = links.primary_link(member)
    assert links.revoke(old) is True
    assert links.revoke(old) is False
    new = links.primary_link(member)
    assert new.id != old.id and new.code != old.code
    assert links.find_active(old.code) is None
    assert links.find_active(new.code).id == new.id


def test_referral_url_is_absolute_and_tagged_with_its_channel(member):
    link = links.primary_link(member)
    assert links.referral_url(link) == f"http://portal.test/r/{link.code}"
    assert links.referral_url(link, "qr") == f"http://portal.test/r/{link.code}?c=qr"
    with pytest.raises(ValueError):
        links.referral_url(link, "typed")


def test_service_line_links_are_separate_and_never_for_sensitive_lines(member):
    peds = ServiceLine.create(name="Pediatrics", slug="pediatrics")
    mind = ServiceLine.create(name="Behavioral", slug="behavioral", sensitive=True)
    general = links.primary_link(member)
    line = links.link_for(member, peds)
    assert line.id != general.id and line.service_line_id == peds.id
    assert links.link_for(member, peds).id == line.id
    assert [link.id for link in links.active_links(member)] == [general.id, line.id]
    with pytest.raises(links.LinkError):
        links.link_for(member, mind)
    assert ReferralLink.select().count() == 2
