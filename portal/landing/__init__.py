"""The static referral page builder."""
