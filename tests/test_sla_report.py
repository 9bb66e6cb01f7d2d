"""SLA compliance from ticket exports: elapsed working time, the three export formats,
the `reports` section, the `report sla` command and the `support-sla-report` directive.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx_fixtures import MakeApp, build
from test_hostile import run_cli
from test_output_safety import MARKDOWN, assert_inert_html

from support_policy.handbook.model import InlineCode, Link, Request, Text
from support_policy.handbook.report_blocks import sla_report
from support_policy.policy.derive import working_time_of
from support_policy.policy.loader import LoadedPolicy, load_policy
from support_policy.policy.sla_report import Period, SlaReportBuilder, percentile, settings_for
from support_policy.policy.ticket_exports import read_csv, read_github
from support_policy.policy.worktime import WorkingTime, deadline, elapsed

pytest_plugins = ("sphinx.testing.fixtures",)

TICKETS = Path(__file__).parent / "data" / "tickets"
POLICY = TICKETS / "policy.yaml"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
AS_OF = "2026-04-30"


@pytest.fixture(scope="module")
def loaded() -> LoadedPolicy:
    result = load_policy(POLICY)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def report(loaded: LoadedPolicy, name: str, export: str) -> dict:
    """The report of a fixture export, computed in this process."""
    policy = loaded.policy
    assert policy is not None
    wt = working_time_of(policy)
    settings_ = settings_for(policy, export, export)
    builder = SlaReportBuilder(
        policy, wt, settings_, period=Period(), as_of=datetime(2026, 4, 30, tzinfo=BERLIN)
    )
    entry = policy.reports.sla.exports[export]  # type: ignore[union-attr]
    chunks = [(TICKETS / name).read_bytes()]
    zone = ZoneInfo(entry.timezone) if entry.timezone else BERLIN
    if export == "github":
        builder.add_all(read_github(chunks, dict(entry.handles), zone))
    else:
        builder.add_all(read_csv(chunks, export, entry, zone, settings_.needed))
    document = builder.document()
    document["problem_lines"] = [(p.line, p.code.code) for p in builder.problems]
    return document


def cell(document: dict, sla: str, kind: str) -> dict:
    (found,) = [t for t in document["targets"] if t["sla"] == sla and t["request_type"] == kind]
    return found


# --- elapsed working time: the inverse of deadline --------------------------------------

OFFICE_BERLIN = WorkingTime(
    BERLIN, frozenset(range(5)), time(9), time(17), frozenset({date(2026, 4, 3)})
)
ROUND_THE_CLOCK_NEW_YORK = WorkingTime(NEW_YORK, frozenset(range(7)), time(0), None)
EARLY_NEW_YORK = WorkingTime(NEW_YORK, frozenset({0, 2, 4, 6}), time(1), time(4, 30))
CALENDARS = [OFFICE_BERLIN, ROUND_THE_CLOCK_NEW_YORK, EARLY_NEW_YORK]

# Around both 2026 changes of both zones, and the Good Friday holiday.
instants = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2026, 11, 10), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    received=instants,
    calendar=st.sampled_from(CALENDARS),
    amount=st.decimals(min_value=Decimal("0.25"), max_value=Decimal(60), places=2),
    unit=st.sampled_from(["hour", "day"]),
)
def test_elapsed_inverts_deadline(
    received: datetime, calendar: WorkingTime, amount: Decimal, unit: str
) -> None:
    due = deadline(calendar, received, amount, unit, working=True)
    length = calendar.window_length if unit == "day" else timedelta(hours=1)
    expected = timedelta(microseconds=int(amount * (length // timedelta(microseconds=1))))
    assert elapsed(calendar, received, due) == expected


def brute_minutes(calendar: WorkingTime, start: datetime, end: datetime) -> int:
    """Working minutes in [start, end), one minute at a time: each minute is working
    when its local date is a working date and its local wall clock is inside the window."""
    count = 0
    moment = start
    while moment < end:
        local = moment.astimezone(calendar.zone)
        clock = local.time().replace(tzinfo=None)
        ends = time(23, 59, 59, 999999) if calendar.end is None else calendar.end
        inside = calendar.start <= clock and (clock < ends or calendar.end is None)
        if calendar.is_working_date(local.date()) and inside:
            count += 1
        moment += timedelta(minutes=1)
    return count


minute_instants = st.builds(
    lambda minutes: datetime(2026, 3, 26, tzinfo=UTC) + timedelta(minutes=minutes),
    st.integers(min_value=0, max_value=60 * 24 * 12),  # across the Berlin and NY changes
)


@settings(max_examples=60, deadline=None)
@given(start=minute_instants, span=st.integers(0, 60 * 24 * 5), calendar=st.sampled_from(CALENDARS))
def test_elapsed_agrees_with_a_minute_by_minute_count(
    start: datetime, span: int, calendar: WorkingTime
) -> None:
    end = start + timedelta(minutes=span)
    assert elapsed(calendar, start, end) == timedelta(minutes=brute_minutes(calendar, start, end))


def test_elapsed_is_zero_backwards_and_skips_holidays_and_nights() -> None:
    friday = datetime(2026, 3, 27, 16, tzinfo=BERLIN)
    tuesday = datetime(2026, 3, 31, 10, tzinfo=BERLIN)  # after the spring change
    assert elapsed(OFFICE_BERLIN, tuesday, friday) == timedelta(0)
    assert elapsed(OFFICE_BERLIN, friday, tuesday) == timedelta(hours=1 + 8 + 1)
    good_friday = datetime(2026, 4, 3, 11, tzinfo=BERLIN)
    assert elapsed(OFFICE_BERLIN, good_friday, datetime(2026, 4, 6, 12, tzinfo=BERLIN)) == (
        timedelta(hours=3)
    )


def test_nearest_rank_percentiles() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert percentile(values, 50) == 5.0
    assert percentile(values, 90) == 9.0
    assert percentile([7.0], 90) == 7.0


# --- the report against an independent computation on generated tickets -------------------


def _freshdesk_csv(tickets: list[tuple[str, str, datetime, datetime | None]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Ticket ID", "Subject", "Type", "Created time", "Initial response time"])
    for ticket_id, kind, created, answered in tickets:
        shown = answered.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S") if answered else ""
        writer.writerow([ticket_id, f"Ticket {ticket_id}", kind, created.isoformat(), shown])
    return out.getvalue().encode()


def test_report_agrees_with_a_brute_force_count(loaded: LoadedPolicy) -> None:
    policy = loaded.policy
    assert policy is not None
    rng = random.Random(20260301)
    start = datetime(2026, 3, 23, 6, tzinfo=UTC)  # the week before the spring change
    tickets = []
    for number in range(150):
        created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 14))
        answered = (
            None if number % 10 == 0 else created + timedelta(minutes=rng.randrange(0, 60 * 40))
        )
        kind = rng.choice(["Question", "Feature Request"])
        tickets.append((str(number), kind, created, answered))
    as_of = datetime(2026, 4, 14, tzinfo=UTC)
    entry = policy.reports.sla.exports["freshdesk"]  # type: ignore[union-attr]
    settings_ = settings_for(policy, "freshdesk", "freshdesk")
    wt = working_time_of(policy)
    builder = SlaReportBuilder(policy, wt, settings_, period=Period(), as_of=as_of, worst=3)
    builder.add_all(
        read_csv([_freshdesk_csv(tickets)], "freshdesk", entry, BERLIN, {"first_response"})
    )
    document = builder.document()
    assert document["problems"] == 0
    types = {"Question": "guidance-request", "Feature Request": "change-request"}
    for kind_name, kind in types.items():
        mine = [t for t in tickets if t[1] == kind_name]
        minutes = [brute_minutes(wt, c, a) for _, _, c, a in mine if a is not None]
        unanswered = [brute_minutes(wt, c, as_of) for _, _, c, a in mine if a is None]
        got = cell(document, "first-response", kind)
        limit = 8 * 60
        assert got["met"] == sum(m <= limit for m in minutes)
        assert got["breached"] == sum(m > limit for m in minutes) + sum(
            m > limit for m in unanswered
        )
        assert got["pending"] == sum(m <= limit for m in unanswered)
        hours = sorted(m / 60 for m in minutes)
        assert got["median_hours"] == round(percentile(hours, 50), 2)
        assert got["p90_hours"] == round(percentile(hours, 90), 2)
        overs = sorted((m - limit for m in minutes + unanswered if m > limit), reverse=True)[:3]
        assert [w["over_hours"] for w in got["worst"]] == [round(o / 60, 2) for o in overs]


# --- the three export formats ----------------------------------------------------------


def test_freshdesk_export(loaded: LoadedPolicy) -> None:
    document = report(loaded, "freshdesk.csv", "freshdesk")
    assert document["rows"] == 10
    assert document["tickets"] == 7
    # 107: a bad date; 108: columns missing; 110: latin-1. 109 spans lines 10-11.
    assert document["problem_lines"] == [(8, "SP603"), (9, "SP604"), (12, "SP605")]
    incident = cell(document, "triage", "incident")
    assert (incident["met"], incident["breached"], incident["median_hours"]) == (1, 0, 0.5)
    # 102 arrived on Good Friday (a holiday): counting starts on Monday, 3 hours.
    # 105 was never answered: breached, 35 working days of 8 hours after its due time.
    guidance = cell(document, "first-response", "guidance-request")
    assert (guidance["met"], guidance["breached"], guidance["p90_hours"]) == (2, 1, 3.0)
    assert [(w["id"], w["answered"], w["over_hours"]) for w in guidance["worst"]] == [
        ("105", None, 280.0)
    ]
    # 103 arrived on Friday 16:00 before the spring change, answered Monday 10:00: 2 hours.
    # 104 was reopened; its first response is still the first one: 12 hours, 4 late.
    change = cell(document, "first-response", "change-request")
    assert (change["met"], change["breached"], change["median_hours"]) == (1, 1, 2.0)
    assert change["worst"][0]["id"] == "104"
    assert change["worst"][0]["over_hours"] == 4.0
    assert change["worst"][0]["link"] == "https://example.freshdesk.com/a/tickets/104"
    assert change["below_target"] is True
    resolution = cell(document, "resolution", "change-request")
    assert (resolution["met"], resolution["breached"], resolution["evidence"]) == (2, 0, "resolved")
    assert document["unclassified"]["count"] == 1
    assert document["unclassified"]["tickets"][0]["reason"] == "no request type for `Feature`"
    assert [item["sla"] for item in document["not_measured"]] == ["timebox"]


def test_zendesk_export(loaded: LoadedPolicy) -> None:
    document = report(loaded, "zendesk.csv", "zendesk")
    assert document["problem_lines"] == [(8, "SP603")]
    # 2 arrived on a Saturday; 50 hours later is Monday 13:00 in Berlin: 4 working hours.
    assert cell(document, "triage", "incident")["median_hours"] == 4.0
    # 3 was reopened twice; first reply after 2 days (Wed 16:00 to Fri 16:00): 16 hours.
    change = cell(document, "first-response", "change-request")
    assert (change["breached"], change["median_hours"]) == (1, 16.0)
    assert change["worst"][0]["link"] == "https://example.zendesk.com/agent/tickets/3"
    guidance = cell(document, "first-response", "guidance-request")
    assert (guidance["met"], guidance["breached"], guidance["median_hours"]) == (1, 1, 1.5)
    reasons = {t["id"]: t["reason"] for t in document["unclassified"]["tickets"]}
    assert reasons == {"5": "no request type for `problem`", "6": "no request type given"}
    assert {"sla": "resolution", "name": "Resolution", "reason": "not in `answers`"} in document[
        "not_measured"
    ]


def test_github_export(loaded: LoadedPolicy) -> None:
    document = report(loaded, "github.json", "github")
    assert document["problems"] == 1
    assert document["problem_lines"][0][1] == "SP603"
    # 11: an outsider commented first; the first member comment (login in another case)
    # came two hours after arrival.
    guidance = cell(document, "first-response", "guidance-request")
    assert (guidance["met"], guidance["breached"], guidance["median_hours"]) == (1, 1, 2.0)
    # 16: only outsiders answered, so it was never answered.
    assert [w["id"] for w in guidance["worst"]] == ["16"]
    assert guidance["worst"][0]["answered"] is None
    # 12: across the spring change, Friday 16:00 to Monday 10:00 in Berlin: 2 hours.
    assert cell(document, "triage", "incident")["median_hours"] == 2.0
    assert cell(document, "first-response", "change-request")["median_hours"] == 16.0
    reasons = {t["id"]: t["reason"] for t in document["unclassified"]["tickets"]}
    assert reasons == {
        "14": "maps to several request types: guidance-request, incident",
        "15": "no request type given",
    }


# --- the `reports` section of the policy ---------------------------------------------------


def _with_export(text: str) -> str:
    return POLICY.read_text(encoding="utf-8").replace(
        "      github:\n        format: github\n", text + "      github:\n        format: github\n"
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "      other:\n        format: freshdesk\n        types: {Bug: incidnet}\n",
            "SP201 unknown request type `incidnet` (did you mean `incident`?)",
        ),
        (
            "      other:\n        format: freshdesk\n        answers: {timebox: first_response}\n",
            "SP610 SLA target `timebox` is `effort: 30 minutes`, not a deadline",
        ),
        (
            "      other:\n        format: zendesk\n        answers: {triag: resolved}\n",
            "SP201 unknown SLA target `triag` (did you mean `triage`?)",
        ),
        (
            "      other:\n        format: freshdesk\n        handles: {someone: person-a}\n",
            "SP611 `handles` identify team members in GitHub comments",
        ),
        (
            "      other:\n        format: github\n        handles: {someone: person-z}\n",
            "SP201 unknown team member `person-z`",
        ),
        (
            "      other:\n        format: github\n        type_column: Type\n",
            "SP611 `type_column` does not apply to a `github` export",
        ),
        (
            "      other:\n        format: github\n        ticket_url: javascript:alert({id})\n",
            "SP612 `ticket_url` must be an http:// or https:// URL",
        ),
        (
            "      other:\n        format: github\n        ticket_url: https://x.example/a)\n",
            "SP612 `ticket_url` needs `{id}` exactly once",
        ),
        (
            "      other:\n        format: github\n        ticket_urls: https://x.example/{id}\n",
            "SP101 unknown key `ticket_urls` in reports.sla.exports.other (did you mean "
            "`ticket_url`?)",
        ),
        (
            "      other:\n        format: jira\n",
            "SP103 reports.sla.exports.other.format: expected 'freshdesk', 'zendesk' or 'github'",
        ),
    ],
)
def test_reports_section_is_checked_with_positions(entry: str, expected: str) -> None:
    text = _with_export(entry)
    line = text.splitlines().index("      other:") + 1
    result = load_policy_text(text)
    shown = [f"{d.code} {d.message}" for d in result.diagnostics]
    assert any(message.startswith(expected) for message in shown), shown
    (diagnostic,) = result.diagnostics
    assert line < diagnostic.line <= line + 3


def load_policy_text(text: str) -> LoadedPolicy:
    from support_policy.policy.loader import load_policy_text as load

    return load(text, "policy.yaml")


def test_the_bundled_example_declares_its_freshdesk_export() -> None:
    policy = load_policy().policy
    assert policy is not None
    assert policy.reports is not None
    assert policy.reports.sla is not None
    assert policy.reports.sla.exports["freshdesk"].format == "freshdesk"


# --- the command, as a real process ---------------------------------------------------


def _cli(*args: str | Path, cwd: Path | None = None):
    return run_cli("report", "sla", *args, "--as-of", AS_OF, cwd=cwd)


@pytest.mark.parametrize("name", ["freshdesk.csv", "zendesk.csv", "github.json"])
def test_cli_reports_bad_rows_with_their_line_and_carries_on(name: str) -> None:
    outcome = _cli(TICKETS / name, "--policy", POLICY)
    assert outcome.status == 0, outcome.stderr
    assert "Traceback" not in outcome.stderr
    warnings = [line for line in outcome.stderr.splitlines() if " SP6" in line]
    assert warnings
    for line in warnings:
        assert re.match(rf"^.*{re.escape(name)}:\d+:1: SP60[345] warning: ", line), line
    assert "First response" in outcome.stdout
    strict = _cli(TICKETS / name, "--policy", POLICY, "--strict")
    assert strict.status == 1
    assert "SP606" in strict.stderr  # targets below 90%


def test_cli_json_is_the_report_and_recognises_the_format() -> None:
    outcome = _cli(TICKETS / "freshdesk.csv", "--policy", POLICY, "--format", "json")
    document = json.loads(outcome.stdout)
    assert document["kind"] == "support-policy-sla-report"
    assert document["export"] == "freshdesk"
    assert cell(document, "first-response", "change-request")["breached"] == 1


def test_cli_period_filters_by_arrival_day() -> None:
    outcome = _cli(
        TICKETS / "freshdesk.csv",
        "--policy",
        POLICY,
        "--format",
        "json",
        "--from",
        "2026-03-27",
        "--to",
        "2026-04-03",
    )
    document = json.loads(outcome.stdout)
    assert document["tickets"] == 2  # 103 (March 27) and 102 (April 3)
    assert document["outside_period"] == 5


@pytest.mark.parametrize(
    ("content", "code", "status"),
    [
        (b"Ticket ID,Subject,Type\n1,x,Question\n", "SP602", 1),  # no `Created time`
        ("Ticket ID,Created time\n".encode("utf-16"), "SP601", 1),
        (b'[{"number": 1, "createdAt": "2026-03-02T08:00:00Z"', "SP601", 1),
    ],
)
def test_cli_export_that_cannot_be_read(
    tmp_path: Path, content: bytes, code: str, status: int
) -> None:
    path = tmp_path / "tickets.txt"
    path.write_bytes(content)
    fmt = "github" if content.startswith(b"[") else "freshdesk"
    outcome = _cli(path, "--policy", POLICY, "--input-format", fmt, "--export", fmt)
    assert outcome.status == status, outcome.stderr
    assert re.search(rf"tickets\.txt:\d+:\d+: {code} ", outcome.stderr), outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_cli_missing_file_and_bad_usage_cannot_run(tmp_path: Path) -> None:
    missing = _cli(tmp_path / "none.csv", "--policy", POLICY)
    assert missing.status == 2
    assert "SP001" in missing.stderr
    backwards = _cli(
        TICKETS / "freshdesk.csv", "--policy", POLICY, "--from", "2026-04-01", "--to", "2026-03-01"
    )
    assert backwards.status == 2
    assert "SP901" in backwards.stderr
    unknown = _cli(TICKETS / "freshdesk.csv", "--policy", POLICY, "--export", "freshdsk")
    assert unknown.status == 2
    assert "did you mean `freshdesk`" in unknown.stderr


HOSTILE = [
    "\x1b[2J\x1b]0;owned\x07",
    "line\n::error file=x::forged",
    "##[warning]forged",
    "<img src=x onerror=alert(1)> <script>alert(1)</script>",
    "@octocat #1 GH-2 a5c3785ed8d6a35868bc169f07e40e889087fd2e",
    "[click](javascript:alert(1)) ![x](https://evil.example/p.png) https://evil.example",
    "\u202eevil | table | break",
]


@pytest.fixture
def hostile_export(tmp_path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Ticket ID", "Subject", "Type", "Created time", "Initial response time", "Resolved time"]
    )
    for index, text in enumerate(HOSTILE):
        writer.writerow([f"{index}{text[:12]}", text, "Question", "2026-03-02 09:00", "", ""])
        writer.writerow([f"u{index}", text, text, "2026-03-02 09:00", "", ""])  # unclassified
    path = tmp_path / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_cli_hostile_ticket_text_is_inert(hostile_export: Path, output_format: str) -> None:
    outcome = _cli(
        hostile_export,
        "--policy",
        POLICY,
        "--export",
        "freshdesk",
        "--format",
        output_format,
        "--worst",
        "20",
    )
    assert outcome.status == 0, outcome.stderr
    for stream in (outcome.stdout, outcome.stderr):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", stream)
        for line in stream.splitlines():
            assert not line.lstrip().startswith("::"), line
            assert "##[" not in line
    if output_format == "json":
        document = json.loads(outcome.stdout)
        assert cell(document, "first-response", "guidance-request")["breached"] == len(HOSTILE)
    if output_format == "markdown":
        html = MARKDOWN.render(outcome.stdout)
        # Only the report's own structure, and links to the policy's ticket pages.
        assert_inert_html(
            re.sub(r'<a href="https://example\.freshdesk\.com/a/tickets/[^"]*">', "", html).replace(
                "</a>", ""
            ),
            (
                "h2",
                "h3",
                "p",
                "ul",
                "li",
                "strong",
                "code",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
            ),
        )
        links = re.findall(r'href="([^"]*)"', html)
        # The worst breaches of two targets, and the unclassified tickets.
        assert len(links) == 3 * len(HOSTILE)
        assert all(link.startswith("https://example.freshdesk.com/a/tickets/") for link in links)
        assert all(re.fullmatch(r"[A-Za-z0-9:/._~%-]+", link) for link in links)


# --- streaming --------------------------------------------------------------------------


def test_a_large_export_streams_in_bounded_memory(loaded: LoadedPolicy) -> None:
    import tracemalloc

    policy = loaded.policy
    assert policy is not None
    entry = policy.reports.sla.exports["freshdesk"]  # type: ignore[union-attr]

    def chunks(rows: int, padding: int):
        yield b"Ticket ID,Subject,Type,Created time,Initial response time\n"
        for number in range(rows):
            day = 2 + number % 20
            yield (
                f"{number},Subject {number} {'x' * padding},Question,2026-03-{day:02d} 09:00,"
                f"2026-03-{day:02d} 10:00\n"
            ).encode()

    rows = 20_000
    peaks = []
    for padding in (100, 4_000):  # 2 MB and 80 MB of text
        settings_ = settings_for(policy, "freshdesk", "freshdesk")
        builder = SlaReportBuilder(
            policy,
            working_time_of(policy),
            settings_,
            period=Period(),
            as_of=datetime(2026, 4, 30, tzinfo=UTC),
        )
        tracemalloc.start()
        builder.add_all(
            read_csv(chunks(rows, padding), "freshdesk", entry, BERLIN, {"first_response"})
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert builder.document()["tickets"] == rows
    # No row's text is kept: forty times longer rows take the same memory, and what is
    # kept per ticket (its id, for duplicates, and one number per target) is small.
    assert peaks[1] < 1.2 * peaks[0]
    assert peaks[0] < 300 * rows


# --- the directive -----------------------------------------------------------------------


@pytest.mark.sphinx
def test_directive_renders_a_report_file(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "reports").mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "support_policy.sphinxext"]\n'
        'support_policy_file = "policy.yaml"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (srcdir / "policy.yaml").write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    outcome = _cli(TICKETS / "freshdesk.csv", "--policy", POLICY, "--format", "json")
    document = json.loads(outcome.stdout)
    document["targets"][0]["worst"] = [
        {
            "id": "<b>1</b>",
            "title": "<script>x</script>",
            "link": "javascript:alert(1)",
            "over_hours": 3.0,
        },
    ]
    (srcdir / "reports" / "q1.json").write_text(json.dumps(document), encoding="utf-8")
    (srcdir / "index.md").write_text(
        "# Figures\n\n```{toctree}\nreports/page\nbad\n```\n", encoding="utf-8"
    )
    (srcdir / "reports" / "page.md").write_text(
        "# Last quarter\n\n```{support-sla-report} q1.json\n```\n", encoding="utf-8"
    )
    (srcdir / "bad.md").write_text(
        "# Bad\n\n```{support-sla-report} ../policy.yaml\n```\n\n"
        "```{support-sla-report} reports/missing.json\n```\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "html")
    page = (Path(app.outdir) / "reports" / "page.html").read_text(encoding="utf-8")
    assert 'class="support-sla-bar support-sla-bar-5"' in page  # 50.0% met
    assert "█████░░░░░" in page
    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.freshdesk.com/a/tickets/104"' in page
    assert "Each target should be met for 90% of tickets." in page
    lines = [line for line in warnings.splitlines() if "SP620" in line]
    assert len(lines) == 2, warnings
    assert any("outside the page's folder" in line for line in lines)
    assert any("not found" in line for line in lines)
    assert all("[support-policy.report]" in line for line in lines)
    assert "bad.md" in lines[0]
    assert app.env.dependencies["reports/page"]


HOSTILE_REPORTS = {
    "infinity.json": '"percent_met": Infinity',
    "nan.json": '"percent_met": NaN',
    "huge.json": '"percent_met": 1e400',
    "digits.json": '"percent_met": 1' + "0" * 5000,
}


def _hostile_report(number: str, link: str = "https://example.org/t/1") -> str:
    return (
        '{"kind": "support-policy-sla-report", "version": 1, "targets": [{"name": "T", '
        '"request_type_name": "R", "tickets": 1, "met": 1, "breached": 0, '
        f'{number}, "worst": [{{"id": "1", "link": {json.dumps(link)}, "title": "t"}}]}}]}}'
    )


@pytest.mark.parametrize("name", sorted(HOSTILE_REPORTS))
def test_a_report_with_a_number_that_is_not_finite_renders_nothing(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_text(_hostile_report(HOSTILE_REPORTS[name]), encoding="utf-8")
    request = Request(load_policy(POLICY), name, {}, page_folder=tmp_path)
    rendered = sla_report(request)
    assert rendered.blocks == ()
    assert [problem.code.code for problem in rendered.problems] == ["SP620"]


@pytest.mark.parametrize(
    ("link", "linked"),
    [
        ("http://[x", True),  # no valid host, but the one URL rule takes it as a browser does
        ("https://example.org/t/1", True),
        ("mailto:someone@example.org", False),
        ("java\tscript:alert(1)", False),
        ("//evil.example/x", False),
    ],
)
def test_a_ticket_link_follows_the_one_url_rule(tmp_path: Path, link: str, linked: bool) -> None:
    (tmp_path / "r.json").write_text(_hostile_report('"percent_met": 50', link), "utf-8")
    rendered = sla_report(Request(load_policy(POLICY), "r.json", {}, page_folder=tmp_path))
    assert rendered.problems == ()
    assert (Link(link, (Text("1"),)) in _inlines(rendered.blocks)) is linked
    assert (InlineCode("1") in _inlines(rendered.blocks)) is not linked


def _inlines(blocks: object) -> list[object]:
    """Every value inside ``blocks``, depth first."""
    found: list[object] = []
    pending = [blocks]
    while pending:
        value = pending.pop()
        found.append(value)
        if isinstance(value, tuple):
            pending.extend(value)
        elif hasattr(value, "__dataclass_fields__"):
            pending.extend(getattr(value, field) for field in value.__dataclass_fields__)
    return found


@pytest.mark.sphinx
def test_hostile_report_files_are_warnings_not_a_crash(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "support_policy.sphinxext"]\n'
        'support_policy_file = "policy.yaml"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (srcdir / "policy.yaml").write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    (srcdir / "nan.json").write_text(_hostile_report('"percent_met": NaN'), "utf-8")
    (srcdir / "inf.json").write_text(_hostile_report('"percent_met": Infinity'), "utf-8")
    (srcdir / "ipv6.json").write_text(_hostile_report('"percent_met": 50', "http://[x"), "utf-8")
    (srcdir / "index.md").write_text(
        "# Figures\n\n"
        + "".join(f"```{{support-sla-report}} {name}\n```\n\n" for name in ("nan.json", "inf.json"))
        + "```{support-sla-report} ipv6.json\n```\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "html")
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    lines = [line for line in warnings.splitlines() if "SP620" in line]
    assert len(lines) == 2, warnings
    assert page.count("support-sla-bar-5") == 1  # the good file's table only
    assert 'href="http://[x"' in page


@pytest.mark.parametrize(
    "number", ["NaN", "Infinity", "-Infinity", "1e400", "1" + "0" * 5000], ids=str.__len__
)
def test_cli_github_export_with_a_number_that_is_not_finite(tmp_path: Path, number: str) -> None:
    path = tmp_path / "issues.json"
    path.write_text(
        f'[{{"number": {number}, "title": {number}, "createdAt": "2026-03-02T08:00:00Z"}}]',
        encoding="utf-8",
    )
    outcome = _cli(path, "--policy", POLICY, "--input-format", "github", "--export", "github")
    assert "Traceback" not in outcome.stderr
    assert "SP902" not in outcome.stderr
    assert outcome.status == 1, outcome.stderr
    assert re.search(r"issues\.json:1:1: SP604 issue 1 is not valid JSON", outcome.stderr)
