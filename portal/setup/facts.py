"""What setup offers: states, kinds of practice and their suggested service lines."""

import re

from portal.i18n_marks import N_

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

KINDS = {
    "concierge": N_("Concierge medicine"),
    "direct_primary_care": N_("Direct primary care"),
    "surgical_specialty": N_("Surgical or specialty practice"),
    "dental": N_("Dental practice"),
    "other": N_("Other"),
}

# Practices of these kinds usually run memberships; the box starts ticked.
MEMBERSHIP_KINDS = ("concierge", "direct_primary_care")

SUGGESTED_LINES = {
    "concierge": [
        "Primary care",
        "Executive physicals",
        "Preventive health",
        "Women's health",
        "Behavioral health",
    ],
    "direct_primary_care": [
        "Primary care",
        "Pediatrics",
        "Chronic care",
        "Women's health",
        "Behavioral health",
    ],
    "surgical_specialty": [
        "Consultations",
        "Orthopedics",
        "Sports medicine",
        "Physical therapy",
        "Pain management",
    ],
    "dental": [
        "General dentistry",
        "Cleanings and hygiene",
        "Orthodontics",
        "Cosmetic dentistry",
        "Pediatric dentistry",
    ],
    "other": ["Primary care", "Specialty consultations", "Behavioral health"],
}

SUGGESTED_LOCATIONS = {
    "surgical_specialty": ["Clinic", "Surgery center"],
}
DEFAULT_LOCATION = "Main office"

# A referral page or link for one of these would tell a friend what the
# member is treated for, so they are marked sensitive unless staff say not.
# Each stem must start a word: "std" must not match "standard".
SENSITIVE_STEMS = (
    r"behaviou?ral",
    r"mental",
    r"psychiatr",
    r"psycholog",
    r"counsel",
    r"addiction",
    r"substance",
    r"recovery",
    r"sexual",
    r"reproductive",
    r"fertility",
    r"family planning",
    r"abortion",
    r"hiv\b",
    r"stds?\b",
    r"stis?\b",
    r"gender",
    r"genetic",
    r"oncolog",
    r"cancer",
)
_SENSITIVE = re.compile(r"\b(?:" + "|".join(SENSITIVE_STEMS) + ")", re.IGNORECASE)

SLUG_MAX = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def looks_sensitive(name):
    """Say whether a service line's name suggests sensitive care."""
    return bool(_SENSITIVE.search(name or ""))


def slugify(name):
    """Turn a name into a lower-case address part: "Women's health" -> womens-health."""
    text = (name or "").lower().replace("'", "").replace("\u2019", "")
    return _NOT_SLUG.sub("-", text).strip("-")[:SLUG_MAX].strip("-")


def suggested_lines(kind):
    return SUGGESTED_LINES.get(kind) or SUGGESTED_LINES["other"]


def suggested_locations(kind):
    return SUGGESTED_LOCATIONS.get(kind) or [DEFAULT_LOCATION]
