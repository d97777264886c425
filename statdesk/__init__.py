"""StatDesk: the desktop workbench of a city's performance (Stat) program."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("statdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "StatDesk"
