""" "Now", with one rule everywhere: ``SOURCE_DATE_EPOCH`` when set, else the clock, in UTC.

Reproducible builds and CI runs set ``SOURCE_DATE_EPOCH``; the CLI, the Sphinx build and
the calendar export all ask here, so they agree on what "today" is and reject a bad value
the same way (:class:`BadEpoch`, code SP922).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

from .bounds import epoch_instant

VARIABLE = "SOURCE_DATE_EPOCH"


class BadEpoch(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds."""


def source_date(environ: Mapping[str, str] = os.environ) -> datetime | None:
    """The instant ``SOURCE_DATE_EPOCH`` names, or ``None`` when it is unset or empty.

    Raises :class:`BadEpoch`, or :class:`~.bounds.OutOfRange` past the supported dates.
    """
    value = environ.get(VARIABLE, "")
    if not value.strip():
        return None
    try:
        return epoch_instant(value)
    except ValueError as error:
        raise BadEpoch(str(error)) from None


def now(environ: Mapping[str, str] = os.environ) -> datetime:
    """The current instant in UTC, or ``SOURCE_DATE_EPOCH`` when set."""
    return source_date(environ) or datetime.now(UTC)


def today(environ: Mapping[str, str] = os.environ) -> date:
    """Today's date in UTC, or the day of ``SOURCE_DATE_EPOCH`` when set."""
    return now(environ).date()
