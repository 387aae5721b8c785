"""What the admin posts when staff run an action or save a change form, for the admin tests."""

from html.parser import HTMLParser

from django.test import Client


def run_action(client, model_path, action, objects):
    """POST an admin action on the changelist of `model_path` ("app/model") for `objects`."""
    return client.post(
        f"/admin/{model_path}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


class FormFields(HTMLParser):
    """Collect what a browser would send for an admin change form (`<form id="…_form">`)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._forms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._forms += 1
        if self._forms != 1 or ("name" not in attrs and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._forms == 1:
            self._forms = 2

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.removeprefix("\n")


def admin_form_post(client: Client, url: str, **changes):
    """Post an admin change form back as shown, with `changes` applied to some fields.

    A change may be an uploaded file (`SimpleUploadedFile`); file fields are otherwise left
    empty, as a browser leaves them, which keeps the stored file.
    """
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    data = dict(parser.data) | {name: [value] for name, value in changes.items()}
    return client.post(url, data)
