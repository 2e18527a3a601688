"""The one error type of content loading (its own module so that checks and loader share it)."""


class ContentError(Exception):
    """content/ is invalid; the message names the file and the field."""
