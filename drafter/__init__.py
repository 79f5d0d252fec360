"""drafter: grounded summaries of 法治政府建设年度报告 and next year's draft."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("drafter")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+src"
