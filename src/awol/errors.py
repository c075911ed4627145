"""The one exception type users see as a clear one-line message (no traceback)."""


class AwolError(Exception):
    """An error caused by input or environment, with a message meant for the user."""
