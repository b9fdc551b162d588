"""Postfix's argument reading (smtpsim.personalities.postfix.address): the fast paths for everyday
arguments give exactly what the general, character-by-character reading of smtpd_token() and the RFC 822
parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smtpsim.personalities.postfix.address import (
    extract_addr,
    extract_addr_general,
    smtpd_tokens,
    smtpd_tokens_general,
)

PIECES = st.sampled_from(
    ["a", "Bob", "x_1", "+tag", "-", "9", ".", "@", "example", "net", ":", "<", ">", '"', "\\", " ",
     "\t", "%", "!", "(c)", "[1]", ",", ";", "FROM:", "TO:", "from:", "to:"]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=10).map("".join)
WRAPPED = st.one_of(
    TEXT, TEXT.map(lambda s: f"<{s}>"), TEXT.map(lambda s: f"FROM:<{s}>"), TEXT.map(lambda s: f"to:<{s}>")
)


@settings(max_examples=400, deadline=None)
@given(WRAPPED)
def test_tokens_fast_path_is_the_general_reading(text: str) -> None:
    assert smtpd_tokens(text) == smtpd_tokens_general(text)


@settings(max_examples=400, deadline=None)
@given(WRAPPED, st.booleans())
def test_address_fast_path_is_the_parser(token: str, allow_empty: bool) -> None:
    inner = token[1:-1] if len(token) >= 2 and token[0] == "<" and token[-1] == ">" else token
    assert extract_addr(token, allow_empty) == extract_addr_general(inner, allow_empty)


def test_everyday_arguments_take_the_fast_path() -> None:
    assert smtpd_tokens("FROM:<alice@example.net>") == [("FROM:", False), ("<alice@example.net>", False)]
    assert extract_addr("<bob.smith+x@mail.example-1.net>", False) == "bob.smith+x@mail.example-1.net"
    assert extract_addr("<a@>", True) is None and extract_addr("<>", True) == ""
