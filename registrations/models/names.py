"""How names are compared: the keys that tell two spellings of one name apart from two names."""

import unicodedata


def normalise_name(name: str) -> str:
    """Return the key two spellings of one organisation name share (case and spaces ignored)."""
    return " ".join(name.split()).casefold()


def person_key(name: str) -> str:
    """Return the key two spellings of one person's name share: case, spacing and accents
    ignored ("José  de Vries" and "jose de vries" are one person)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())
