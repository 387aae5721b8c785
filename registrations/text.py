"""What people type, made safe to store and to put in a plain-text mail.

A name, an organisation or a phone number is one line. A line break in it would start a new
line in the staff notice and could forge one ("Status: betaald"); control characters and
direction overrides can make text read differently from what it is. `single_line` removes
them; `SingleLineField` does it in every form, and the domain functions do it again before
storing, whoever called them.
"""

import re
import unicodedata

from django import forms

# Unicode's explicit direction controls: they can make text display in another order.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def single_line(value: str) -> str:
    """Return `value` as one line: every run of white space (line breaks included) becomes
    one space, control characters and direction overrides go, and the ends are trimmed."""
    text = DIRECTION_CONTROLS.sub("", value)
    # Control characters go (line breaks and tabs are white space: they become spaces), and
    # only then are spaces collapsed, so "a \x08 b" becomes "a b", not "a  b".
    text = "".join(char for char in text if char.isspace() or unicodedata.category(char) != "Cc")
    return " ".join(text.split())


def quoted_lines(value: str, prefix: str = "> ") -> str:
    """Return multi-line text with every line behind `prefix`, so none of its lines can
    pass for a line of the mail itself."""
    return "\n".join(prefix + line for line in value.splitlines() or [""])


class SingleLineField(forms.CharField):
    """A one-line text field that stores what was typed as one clean line."""

    def to_python(self, value: object) -> str:
        return single_line(super().to_python(value))
