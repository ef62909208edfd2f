"""One-statement inserts and IN lists, on both databases."""

from portal.models import Member, Prompt, Visit
from portal.prompts import bulk


def test_insert_skips_existing_rows_and_returns_only_new_ones(app):
    first = bulk.insert(
        Member, [{"email": "a@example.com"}, {"email": "b@example.com"}], ("email",)
    )
    again = bulk.insert(
        Member, [{"email": "b@example.com"}, {"email": "c@example.com"}], ("email",)
    )
    assert sorted(first) == [("a@example.com",), ("b@example.com",)]
    assert again == [("c@example.com",)]
    member = Member.get(Member.email == "c@example.com")
    # Left-out columns take their defaults, as with peewee's own insert.
    assert member.preferred_language == "en" and member.prompts_opt_out is False


def test_insert_converts_json_and_foreign_keys(app):
    member = Member.create(email="a@example.com")
    visit = Visit.create(external_id="V", member=member, visited_at=member.created_at)
    bulk.insert(
        Prompt,
        [
            {
                "visit": visit.id,
                "member": member.id,
                "status": "suppressed",
                "reason_code": "detractor",
                "rule": {"nps_min": 9},
            }
        ],
    )
    prompt = Prompt.get()
    assert prompt.rule == {"nps_min": 9} and prompt.visit_id == visit.id
    assert prompt.decided_at is not None


def test_among_matches_numbers_text_and_nothing(app):
    ids = [Member.create(email=f"{n}@example.com").id for n in range(3)]
    assert Member.select().where(Member.id.in_(bulk.among(ids[:2]))).count() == 2
    found = Member.select().where(Member.email.in_(bulk.among(["1@example.com"])))
    assert [m.id for m in found] == [ids[1]]
    assert Member.select().where(Member.id.in_(bulk.among([]))).count() == 0
    assert bulk.insert(Member, []) == []
