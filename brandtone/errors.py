"""The one exception stages raise for problems the user can fix."""


class StageError(Exception):
    """A one-line, user-fixable problem: name the file, URL, item or key, and what to do."""
