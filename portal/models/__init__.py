"""All models, split by area; MODELS is the order tables are created in."""

from .base import BaseModel, JSONField
from .ops import (
    ApiKey,
    AttributionEvent,
    AuditEvent,
    OutboxMessage,
    Suppression,
    WebhookDelivery,
    WebhookDestination,
)
from .people import Consent, Member, OneTimeToken, StaffUser
from .practice import Location, MembershipPlan, PracticeSettings, ServiceLine
from .recognition import Approval, CatalogItem, PolicyVersion, Recognition
from .referrals import Click, Invitation, ReferralLink, SignUp
from .visits import (
    Prompt,
    PromptRule,
    RecoveryAlert,
    SatisfactionSignal,
    Survey,
    Visit,
)

MODELS = [
    PracticeSettings,
    Location,
    ServiceLine,
    MembershipPlan,
    Member,
    Consent,
    StaffUser,
    OneTimeToken,
    ReferralLink,
    Click,
    Invitation,
    SignUp,
    Visit,
    SatisfactionSignal,
    PromptRule,
    Prompt,
    Survey,
    RecoveryAlert,
    CatalogItem,
    PolicyVersion,
    Recognition,
    Approval,
    AuditEvent,
    OutboxMessage,
    Suppression,
    AttributionEvent,
    ApiKey,
    WebhookDestination,
    WebhookDelivery,
]

__all__ = [model.__name__ for model in MODELS] + ["BaseModel", "JSONField", "MODELS"]
