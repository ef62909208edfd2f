"""Mark text for translation where it is defined and translate it where shown.

For tables of words kept in modules that must not import Flask (the rules,
the setup facts): ``N_`` returns its text unchanged, the extraction in
portal/i18n_extract.py collects it, and the page or view that shows the
text passes it through gettext.
"""


def N_(text):  # noqa: N802  (the name gettext tools look for)
    """Return text unchanged; it is translated when it is shown."""
    return text
