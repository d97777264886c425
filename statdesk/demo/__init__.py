"""The demo city, Harbor Bend: a realistic fictional program to learn StatDesk on."""

from statdesk.demo.content import CITY, FISCAL_YEAR_START, PROGRAM
from statdesk.demo.generate import DEFAULT_SEED, populate

__all__ = ["CITY", "DEFAULT_SEED", "FISCAL_YEAR_START", "PROGRAM", "populate"]
