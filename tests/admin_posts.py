"""What the admin's change lists post when staff run an action, for the admin test modules."""


def run_action(client, model_path, action, objects):
    """POST an admin action on the changelist of `model_path` ("app/model") for `objects`."""
    return client.post(
        f"/admin/{model_path}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )
