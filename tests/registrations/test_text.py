"""What people type, made one line for storing and quoted for plain-text mail."""

import pytest

from registrations.text import SingleLineField, quoted_lines, single_line


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jan Jansen", "Jan Jansen"),
        ("  Jan   Jansen  ", "Jan Jansen"),
        ("Jan\nStatus: betaald", "Jan Status: betaald"),
        ("Jan\r\nStatus: betaald", "Jan Status: betaald"),
        ("Jan\u2028Status: betaald", "Jan Status: betaald"),
        ("Jan\u0085Status", "Jan Status"),
        ("Jan\tJansen", "Jan Jansen"),
        ("Jan\x00\x07\x1b[31mJansen", "Jan[31mJansen"),
        ("Jan \u202eneslnaJ", "Jan neslnaJ"),
        ("Zoë Ünal-Çelik", "Zoë Ünal-Çelik"),
        ("", ""),
    ],
    ids=[
        "plain",
        "spaces",
        "line-feed",
        "carriage-return",
        "unicode-line-separator",
        "next-line",
        "tab",
        "control-characters",
        "direction-override",
        "accents-kept",
        "empty",
    ],
)
def test_single_line(typed, stored):
    assert single_line(typed) == stored


def test_single_line_field_cleans_what_was_typed():
    # Arrange
    field = SingleLineField(max_length=40)

    # Act
    cleaned = field.clean("Karin\nStatus: betaald")

    # Assert
    assert cleaned == "Karin Status: betaald"


def test_quoted_lines_puts_every_line_behind_the_marker():
    assert quoted_lines("Graag een rolstoel.\nStatus: betaald") == (
        "> Graag een rolstoel.\n> Status: betaald"
    )


def test_single_line_drops_control_characters_before_collapsing_spaces():
    assert single_line("a \x08 b\x08\n\tc\u202e ") == "a b c"
    assert single_line("0\x08") == "0"
