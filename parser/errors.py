"""Every error planparser reports, one class and one message each, telling the user what to do."""
from __future__ import annotations


class PlanparserError(Exception):
    """Base class: an expected failure, reported in one line without a traceback."""

    code = "E000"

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):  # picklable, so worker processes can hand errors back
        return (type(self), (self.source, self.reason))


class InputMissing(PlanparserError):
    code = "E001"


class InputEmpty(PlanparserError):
    code = "E002"


class InputBinary(PlanparserError):
    code = "E003"


class InputUndecodable(PlanparserError):
    code = "E004"


class InputTooLarge(PlanparserError):
    code = "E005"


class HtmlWithoutBody(PlanparserError):
    code = "E006"


class UnsupportedInput(PlanparserError):
    code = "E007"


class OutputError(PlanparserError):
    code = "E008"


class ConfigError(PlanparserError):
    code = "E009"


class DiskFull(PlanparserError):
    """No room to write (disk full, quota, file-size limit): what was there before is left as it was."""

    code = "E010"


class CatalogueDamaged(PlanparserError):
    """A corpus catalogue that fails SQLite's integrity check: refused, with the way to repair it."""

    code = "E011"
