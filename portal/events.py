"""Domain events one area announces and others act on, without importing each other.

Receivers run in the sender's transaction, so what they write commits or rolls
back with the change that caused it. Each signal is sent with the record as
the sender and keyword arguments as documented below.
"""

from blinker import Namespace

_signals = Namespace()

#: A sign-up was stored. sender: SignUp.
signup_created = _signals.signal("signup-created")
#: A sign-up moved to another status. sender: SignUp; old_status, new_status.
signup_status_changed = _signals.signal("signup-status-changed")
#: A visit was stored for the first time. sender: Visit.
visit_recorded = _signals.signal("visit-recorded")
#: A satisfaction signal was stored. sender: SatisfactionSignal.
signal_recorded = _signals.signal("signal-recorded")
#: A prompt email was queued for a member. sender: Prompt.
prompt_sent = _signals.signal("prompt-sent")
#: A recognition was approved (all approvals in). sender: Recognition.
recognition_approved = _signals.signal("recognition-approved")
#: An invitation led to a membership sign-up. sender: Invitation; signup.
invitation_accepted = _signals.signal("invitation-accepted")
#: A referred member stayed active past the plan's cancellation window.
#: sender: SignUp (kind "membership", with its member set).
membership_retained = _signals.signal("membership-retained")
