"""The rotation, published with the site: the team's calendar feed and a JSON of tenures.

On an HTML build of a site where some page shows ``support-rotation``,
``_static/support-policy/rotation.ics`` (the bytes of ``support-policy
calendar``, from :func:`support_policy.policy.ics.calendar_bytes`) and ``rotation.json``
(each rotation's tenures and day-by-day crews, every date inclusive) are written beside the
pages. Pages stay fixed; ``support-policy-now.js`` reads the JSON to say who is on duty
when a page is read. The window runs from :data:`FEED_WEEKS_BACK` weeks before the build
date (``SOURCE_DATE_EPOCH`` respected) for :data:`FEED_WEEKS` weeks, so the same sources and
epoch give the same bytes.
"""

from __future__ import annotations

import errno
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from support_policy.policy import clock
from support_policy.policy.bounds import OutOfRange
from support_policy.policy.diagnostics import Code
from support_policy.policy.facts import rotation_name
from support_policy.policy.files import write_not_following, write_refusal
from support_policy.policy.ics import RotationWindow, calendar_bytes, window_of
from support_policy.policy.rotations import schedules
from support_policy.policy.safe_text import json_text

from .config import FEED_EMAILS
from .data import get_data
from .incremental import shown_anywhere
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FEED_FOLDER = "_static/support-policy"
ICS_NAME = "rotation.ics"
JSON_NAME = "rotation.json"
FEED_WEEKS_BACK = 4
FEED_WEEKS = 56  # four weeks back and a year ahead


def publish_rotation(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the feed and the JSON for HTML builders."""
    if exception is not None or app.builder.format != "html":
        return
    if not shown_anywhere(app.env, "support-rotation"):
        # Nothing on the site shows the rotation or links its feed: publishing the team's
        # schedule anyway would put it on the web unasked (and cost every build).
        return
    data = get_data(app.env)
    policy = data.loaded.policy if data is not None and data.loaded is not None else None
    if policy is None:
        return  # already reported when the policy was loaded
    dealt = schedules(policy)
    if not dealt:
        return
    try:
        today = clock.today()
        first = today - timedelta(weeks=FEED_WEEKS_BACK)
        windows = [window_of(policy, schedule, first, FEED_WEEKS) for schedule in dealt.values()]
        ics = calendar_bytes(windows, attendees=bool(getattr(app.config, FEED_EMAILS)))
        document = feed_document(windows, today)
    except (OutOfRange, ValueError) as error:  # BadEpoch is a ValueError
        warn(Code.FEED_NOT_PUBLISHED, f"the rotation feed is not published: {error}")
        return
    folder = Path(app.outdir, *FEED_FOLDER.split("/"))
    try:
        if folder.is_symlink():  # the files inside would be written wherever it points
            raise OSError(errno.ELOOP, "is a symbolic link; not followed", str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        write_not_following(folder / ICS_NAME, ics)
        write_not_following(folder / JSON_NAME, json_text(document, indent=None).encode())
    except OSError as error:
        where = Path(error.filename) if error.filename else folder
        reason = write_refusal(where, error)
        warn(Code.FEED_NOT_PUBLISHED, f"the rotation feed is not published: {where.name} {reason}")


def feed_document(windows: list[RotationWindow], built: date) -> dict[str, Any]:
    """What ``rotation.json`` holds: per rotation, tenures and crews (dates inclusive).

    ``id`` is the rotation's id: a page's "On duty now" line names the rotation it shows by
    it (or names none, for all of them), never by its place in the file.
    """
    return {
        "version": 1,
        "built": built.isoformat(),
        "dates": "inclusive",
        "calendar": ICS_NAME,
        "rotations": [_rotation_record(window) for window in windows],
    }


def _rotation_record(window: RotationWindow) -> dict[str, Any]:
    last = window.until - timedelta(days=1)
    return {
        "id": window.id,
        "name": rotation_name(window.policy, window.id),
        "timezone": window.schedule.zone.key,
        "from": window.first.isoformat(),
        "to": last.isoformat(),
        "tenures": [
            {
                "who": window.member_name(handoff.joiner or ""),
                "from": handoff.start.isoformat(),
                "to": (handoff.end - timedelta(days=1)).isoformat(),
            }
            for handoff in window.handoffs
        ],
        "crews": _crews(window, last),
    }


def _crews(window: RotationWindow, last: date) -> list[dict[str, Any]]:
    """Who is on duty, day by day after cover, as runs of days with the same crew."""
    runs: list[dict[str, Any]] = []
    day = window.first
    while day <= last:  # bounded: the window is FEED_WEEKS long
        crew = [
            window.member_name(duty.person)
            + (f" (covering {window.member_name(duty.cover.covers)})" if duty.cover else "")
            for duty in window.schedule.crew(day)
        ]
        if runs and runs[-1]["on_duty"] == crew:
            runs[-1]["to"] = day.isoformat()
        else:
            runs.append({"from": day.isoformat(), "to": day.isoformat(), "on_duty": crew})
        day += timedelta(days=1)
    return runs
