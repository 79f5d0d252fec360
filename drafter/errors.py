"""Errors a user sees as one line: `file: reason`. Anything else escaping is a bug."""


class DrafterError(Exception):
    """A failure the user can act on; its message is a single line without a traceback."""


class InputError(DrafterError):
    """The input file cannot be read as a report (empty, binary, scanned PDF, unsupported type…)."""
