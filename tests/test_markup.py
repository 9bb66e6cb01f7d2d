"""Light markup in policy text: what a writer types and what a reader gets.

The parser (``handbook/markup.py``) is the one place policy text becomes links, code and
emphasis; these tests hold it to the rules in the policy-format reference.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policy.handbook import markup
from support_policy.handbook.markup import MAX_DEPTH, parse
from support_policy.handbook.model import (
    Emphasis,
    Inline,
    InlineCode,
    Link,
    PageLink,
    Strong,
    Text,
)
from support_policy.handbook.plain import plain_text
from support_policy.policy.urls import safe_url


def links(values: tuple[Inline, ...]) -> list[Link | PageLink]:
    """Every link, however deep."""
    found: list[Link | PageLink] = []
    for value in values:
        if isinstance(value, Link | PageLink):
            found.append(value)
        if not isinstance(value, Text | InlineCode):
            found += links(value.children)
    return found


def depth(values: tuple[Inline, ...]) -> int:
    return max(
        (0 if isinstance(v, Text | InlineCode) else 1 + depth(v.children) for v in values),
        default=0,
    )


# --- what a writer gets -------------------------------------------------------------------


def test_plain_text_is_one_text() -> None:
    assert parse("Reply within one working day.") == (Text("Reply within one working day."),)
    assert parse("") == ()


def test_link_with_text() -> None:
    assert parse("See [the calendar](https://cal.example.org/roles).") == (
        Text("See "),
        Link("https://cal.example.org/roles", (Text("the calendar"),)),
        Text("."),
    )


def test_mailto_link() -> None:
    assert parse("[Write to us](mailto:support@example.org)") == (
        Link("mailto:support@example.org", (Text("Write to us"),)),
    )


def test_bare_url_links_itself_and_leaves_the_sentence_its_punctuation() -> None:
    assert parse("Docs: https://docs.example.org/support. More (https://x.example/a_(b)).") == (
        Text("Docs: "),
        Link("https://docs.example.org/support", (Text("https://docs.example.org/support"),)),
        Text(". More ("),
        Link("https://x.example/a_(b)", (Text("https://x.example/a_(b)"),)),
        Text(")."),
    )


def test_bare_url_needs_a_word_boundary_and_a_host() -> None:
    assert links(parse("xhttps://example.org")) == []
    assert links(parse("https:// nothing")) == []
    assert parse("see http://.") == (Text("see http://."),)


def test_code_emphasis_strong() -> None:
    assert parse("Run `support-policy validate` *now*, **carefully**.") == (
        Text("Run "),
        InlineCode("support-policy validate"),
        Text(" "),
        Emphasis((Text("now"),)),
        Text(", "),
        Strong((Text("carefully"),)),
        Text("."),
    )


def test_nesting_and_triple_stars() -> None:
    assert parse("*a **b** c*") == (Emphasis((Text("a "), Strong((Text("b"),)), Text(" c"))),)
    assert parse("***both***") == (Strong((Emphasis((Text("both"),)),)),)


def test_code_opens_and_closes_with_runs_of_the_same_length() -> None:
    assert parse("``a ` b`` and ```{include} /etc/passwd```") == (
        InlineCode("a ` b"),
        Text(" and "),
        InlineCode("{include} /etc/passwd"),
    )
    assert parse("`` `tick` ``") == (InlineCode("`tick`"),)  # one space each side goes
    assert parse("``a` b`") == (Text("``a"), InlineCode(" b"))


def test_code_is_literal() -> None:
    assert parse("`*not em* [no](https://x.org)`") == (InlineCode("*not em* [no](https://x.org)"),)


@pytest.mark.parametrize(
    "text",
    [
        "**unclosed strong",
        "a * b * c",  # a star between spaces is arithmetic, not emphasis
        "unclosed `code",
        "[no target]",
        "[text] (not a target)",
        "] stray [",
        "****four****",
        "``",
        "\\",
    ],
)
def test_unmatched_markers_stay_text_as_written(text: str) -> None:
    assert parse(text) == (Text(text),)


def test_backslash_escapes_punctuation_only() -> None:
    assert parse(r"\*not em\* \[not a link](https://x.org) C:\path") == (
        Text("*not em* [not a link]("),
        Link("https://x.org", (Text("https://x.org"),)),
        Text(r") C:\path"),
    )


def test_link_text_may_hold_em_strong_code_but_no_link() -> None:
    value = parse("[**Read** `this` at https://a.example.org](https://b.example.org)")
    assert value == (
        Link(
            "https://b.example.org",
            (
                Strong((Text("Read"),)),
                Text(" "),
                InlineCode("this"),
                Text(" at https://a.example.org"),
            ),
        ),
    )
    inner = parse("[a [b](https://x.example.org) c](https://y.example.org)")
    assert [link.url for link in links(inner)] == ["https://x.example.org", "https://y.example.org"]
    assert not any(links(link.children) for link in links(inner))


def test_empty_link_text_shows_the_url() -> None:
    assert parse("[](https://x.org)") == (Link("https://x.org", (Text("https://x.org"),)),)


# --- handbook pages -------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["process", "/handbook/support-process", "../reference/cli"])
def test_doc_link_is_a_page_link(page: str) -> None:
    assert parse(f"[the process](doc:{page})") == (PageLink(page, (Text("the process"),)),)


def test_doc_link_without_text_takes_the_page_title_later() -> None:
    assert parse("[](doc:glossary)") == (PageLink("glossary", ()),)


@pytest.mark.parametrize("target", ["doc:", "doc:a//b", "doc:a/", "doc:a#b", "doc:a%20b"])
def test_malformed_doc_link_stays_text(target: str) -> None:
    text = f"[x]({target})"
    assert parse(text) == (Text(text),)


# --- only safe schemes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "HTTPS://EXAMPLE.ORG/A",
        "http://127.0.0.1:8000/x?y=1&z=2#f",
        "mailto:support@example.org",
        "MailTo:a@b.example",
    ],
)
def test_safe_url_accepts(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\x00script:alert(1)",
        "java\u200bscript:alert(1)",
        "javascript&#58;alert(1)",
        "&#106;avascript:alert(1)",
        "%6Aavascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org",
        "//evil.example.org",
        "/relative/path",
        "relative.html",
        "https:evil.example.org",
        "https://",
        "https:///x",
        "mailto:",
        "https\uff1a//example.org",  # a fullwidth colon
        "https://exa mple.org",
        "",
    ],
)
def test_safe_url_refuses(url: str) -> None:
    assert safe_url(url) is None
    made = links(parse(f"[click]({url})"))
    assert all(isinstance(link, Link) and link.url != url for link in made)


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert%601%60)",
        "[x](vbscript:msgbox)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](java\tscript:alert(1))",
        "[x](javascript&#58;alert)",
        "[<script>alert(1)</script>](javascript:alert)",
    ],
)
def test_unsafe_link_stays_text_exactly_as_written(text: str) -> None:
    assert parse(text) == (Text(text),)


def test_bracket_and_paren_tricks_make_no_unsafe_link() -> None:
    for text in [
        "[a](https://x.org)](javascript:alert(1))",
        "[a](javascript:alert(1)](https://x.org)",
        "[[a](javascript:x)](https://x.org)",
        "[a]](javascript:x)",
        "[a](https://x.org javascript:x)",
        "[a](<javascript:x>)",
        "https://x.org)javascript:alert(1)",
        '[a](https://x.org"onmouseover="alert(1))',
    ]:
        for link in links(parse(text)):
            assert isinstance(link, Link)
            assert safe_url(link.url) == link.url, text
            assert '"' not in link.url, text
            assert " " not in link.url, text


# --- the plain-text form (CLI) ------------------------------------------------------------


def test_plain_text_rule() -> None:
    assert plain("Follow [the calendar](https://cal.example.org) now.") == (
        "Follow the calendar <https://cal.example.org> now."
    )
    assert plain("See https://x.example.org.") == "See https://x.example.org."
    assert plain("[support@example.org](mailto:support@example.org)") == "support@example.org"
    assert plain("[Write](mailto:support@example.org)") == "Write <mailto:support@example.org>"
    assert plain("Run `validate` *now* **please**") == "Run validate now please"
    assert plain("[the process](doc:process) and [](doc:glossary)") == "the process and glossary"
    assert plain("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert plain_text(()) == ""


# --- bounded work ---------------------------------------------------------------------------


def test_nesting_is_bounded() -> None:
    text = "".join("*a " if i % 2 else "**a " for i in range(500))
    text += "".join(" a*" if i % 2 else " a**" for i in range(500))
    assert depth(parse(text)) <= MAX_DEPTH
    deep = "[" * 10_000 + "x" + "](https://x.org)" * 10_000
    assert depth(parse(deep)) <= MAX_DEPTH + 1


@pytest.mark.parametrize(
    "unit",
    ["[](", "[a](b ", "*a ", "** ", "`", "`` `", "\\", "https://", "[", "]", "h", "*[", "](x"],
)
def test_long_hostile_input_is_parsed_in_linear_work(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100k characters of one trap: the characters looked at stay a small multiple of it.

    Counted, not timed: every scan of a link target or a bare URL looks at characters
    through ``invisible``, and every marker goes through ``special``; a parser that
    rescanned on each failed attempt would look at millions.
    """
    seen = {"chars": 0, "markers": 0}
    invisible, special = markup.invisible, markup._Parser.special

    def counted_invisible(char: str) -> bool:
        seen["chars"] += 1
        return invisible(char)

    def counted_special(parser: markup._Parser, i: int, found: str) -> int:
        seen["markers"] += 1
        return special(parser, i, found)

    monkeypatch.setattr(markup, "invisible", counted_invisible)
    monkeypatch.setattr(markup._Parser, "special", counted_special)
    text = unit * (100_000 // len(unit))
    values = parse(text)
    assert seen["chars"] + seen["markers"] <= 3 * len(text), seen
    assert depth(values) <= MAX_DEPTH + 1


_MARKUP = [*"ab *`[]()\\:/.h", "https://", "doc:", "mailto:", "\t", "<", '"']


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP), max_size=40).map("".join))
def test_any_text_parses_to_safe_bounded_values(text: str) -> None:
    values = parse(text)
    assert depth(values) <= MAX_DEPTH + 1
    for link in links(values):
        if isinstance(link, Link):
            assert safe_url(link.url) == link.url
        assert not links(link.children)


def _subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(char in rest for char in part)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([c for c in _MARKUP if c not in ("doc:", "mailto:")]), max_size=40
    ).map("".join)
)
def test_plain_text_keeps_every_letter_in_order(text: str) -> None:
    """Only markers and escapes go: a reader of the CLI loses no word (links add their URL)."""
    letters = "".join(c for c in text if c.isalnum())
    assert _subsequence(letters, "".join(c for c in plain(text) if c.isalnum()))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_parses(text: str) -> None:
    """Whatever the characters (controls, surrogates' neighbours, other scripts)."""
    values = parse(text)
    for link in links(values):
        if isinstance(link, Link):
            assert safe_url(link.url) == link.url
    assert isinstance(plain_text(values), str)


def plain(text: str) -> str:
    """Policy text as a terminal shows it: the markup read, then its plain text."""
    return plain_text(parse(text))
