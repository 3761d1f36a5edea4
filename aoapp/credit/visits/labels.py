"""The English labels of a visit photo's audited fields and record type (the audit history's
`label` filter), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    _l("Visitphoto"),
    _l("Accuracy"),
    _l("Content type"),
    _l("Height"),
    _l("Located at"),
    _l("Size bytes"),
    _l("Storage key"),
    _l("Taken at"),
    _l("Thumb key"),
    _l("Uploaded by id"),
    _l("Visit id"),
    _l("Width"),
)
