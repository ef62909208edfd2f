"""Extract the translatable messages and bring each language's catalog up to date.

Run with ``make messages`` (or ``python -m portal.i18n_extract``). Babel's own
``pybabel extract`` skips folders whose names start with "_", which would
miss templates/_partials, so the extraction here walks those folders too.
"""

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from portal.i18n import SOURCES

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
TEMPLATE = SOURCES / "messages.pot"
PROJECT = "ambassador-portal"

# flask_babel's lazy forms, imported in the code as _l, count as gettext too.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}


def _folder_filter(root, method_map):
    """Keep the folders babel.cfg maps (with "_partials"); skip hidden ones."""
    tops = {pattern.split("/")[0] for pattern, _method in method_map}

    def keep(path):
        parts = Path(path).relative_to(root).parts
        if parts and parts[0] not in tops:
            return False
        return not any(p.startswith(".") or p == "__pycache__" for p in parts)

    return keep


def extract_messages(root=ROOT):
    """Return a Catalog of every message the code and templates under root use."""
    with MAPPING.open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(MAPPING))
    catalog = Catalog(project=PROJECT, msgid_bugs_address="", charset="utf-8")
    found = extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=_folder_filter(root, method_map),
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _without_dates(text):
    return [line for line in text.splitlines() if "-Date: " not in line]


def _write(catalog, path):
    out = io.BytesIO()
    # File names without line numbers: a moved line does not churn the diff.
    write_po(out, catalog, width=88, include_lineno=False, ignore_obsolete=True)
    text = out.getvalue().decode("utf-8")
    if path.exists() and _without_dates(path.read_text("utf-8")) == _without_dates(
        text
    ):
        return  # only the creation date would change
    partial = path.with_suffix(".tmp")
    partial.write_text(text, "utf-8")
    partial.replace(path)


def update_catalogs(template):
    """Merge template into every language's .po, keeping existing translations."""
    updated = []
    for source in sorted(SOURCES.glob("*/LC_MESSAGES/messages.po")):
        with source.open("rb") as po:
            catalog = read_po(po)
        catalog.update(template, no_fuzzy_matching=True)
        _write(catalog, source)
        updated.append((source, catalog))
    return updated


def _key(message_id):
    return message_id if isinstance(message_id, str) else message_id[0]


def _usable(message):
    strings = message.string if message.pluralizable else (message.string,)
    return not message.fuzzy and all(strings)


def untranslated(catalog):
    """Return the ids of messages with no usable translation in catalog."""
    return [_key(m.id) for m in catalog if m.id and not _usable(m)]


def missing_from(template, catalog):
    """Return the ids in template that catalog gives no usable translation."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None or not _usable(found):
            missing.append(_key(message.id))
    return missing


def main():
    template = extract_messages()
    _write(template, TEMPLATE)
    print(f"{len(template)} messages written to {TEMPLATE.relative_to(ROOT)}")
    for source, catalog in update_catalogs(template):
        missing = untranslated(catalog)
        name = source.relative_to(ROOT)
        print(f"{name}: {len(catalog)} messages, {len(missing)} without translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
