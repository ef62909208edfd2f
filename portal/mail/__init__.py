"""Email: every message is an outbox row first, then delivered by the worker.

Send one with::

    from portal.mail import send_email

    send_email(member.email, "prompt", {"link": url}, kind="prompt",
               language=member.preferred_language)

``send_email(to_email, template, context, *, kind, marketing=True, language="en")``
renders ``templates/email/<template>.txt`` and ``templates/email/<template>.html``
under ``flask_babel.force_locale(language)`` and returns the stored
``OutboxMessage``.

Templates:

- Both parts extend the shared layouts, ``email/_layout.txt`` and
  ``email/_layout.html``, which add the practice's name and postal address and
  the unsubscribe link. Put the message in ``{% block body %}``.
- The subject is the ``{% block subject %}`` of the ``.txt`` template (one
  line, wrapped in ``_()`` like every other string). There is no ``subject``
  key in the context.
- Besides your context, templates see ``practice`` (the settings row),
  ``unsubscribe_url``, ``marketing`` and ``language``. Build links with
  ``portal.web.external_url`` and pass them in: there is no request while the
  worker renders.

What happens to the row:

- ``marketing=True`` mail to an address in ``Suppression`` is stored with
  status ``suppressed`` and never sent; sign-in links and other
  ``marketing=False`` mail always go out.
- Otherwise it is ``pending`` and delivery is queued after the surrounding
  database transaction commits (at once when there is none), so the worker
  always finds the row. Delivery claims the row (pending -> sending) with a
  conditional UPDATE, so a row is never sent twice, retries 429, 5xx and
  network errors with exponential backoff, and marks it ``failed`` after
  ``MAIL_MAX_ATTEMPTS`` attempts; staff see failed rows at /staff/outbox.
- A periodic sweep (and ``portal mail deliver``) delivers any pending row
  that is due, so nothing waits forever if a worker died.
"""

from portal.mail.compose import send_email

__all__ = ["send_email"]
