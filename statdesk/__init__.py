"""StatDesk: the desktop workbench of a city's performance (Stat) program."""

__version__ = "0.1.0"

APP_NAME = "StatDesk"
