"""Phone numbers as people write them: accepted or refused, and dialled through `tel:` links."""

import pytest
from django.core.exceptions import ValidationError

from sessions.phones import phone_uri, validate_phone


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("030 000 00 01", "tel:+31300000001"),
        ("030-0000001", "tel:+31300000001"),
        ("06 12 34 56 78", "tel:+31612345678"),
        ("+31 (0)30 000 00 01", "tel:+31300000001"),
        ("0031 30 000 00 01", "tel:+31300000001"),
        ("+32 2 000 00 00", "tel:+3220000000"),
    ],
    ids=["landline", "dashes", "mobile", "international-with-trunk-zero", "double-zero", "belgian"],
)
def test_phone_uri_dials_the_number_from_anywhere(written, uri):
    assert phone_uri(written) == uri


@pytest.mark.parametrize("written", ["030 000 00 01", "+31 (0)30 000 00 01", "06-12345678"])
def test_validate_phone_accepts_numbers_as_people_write_them(written):
    validate_phone(written)


@pytest.mark.parametrize("written", ["bel mij", "030", "anna@example.org", "06 1234 5678 x12"])
def test_validate_phone_refuses_what_is_not_a_number(written):
    with pytest.raises(ValidationError) as refused:
        validate_phone(written)
    assert refused.value.messages == [
        "Vul een telefoonnummer in met cijfers, bijvoorbeeld 030 123 45 67."
    ]
