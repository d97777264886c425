"""The words departments write for StatDesk's closed lists (measure type, unit, frequency,
direction, roll-up, update frequency, access level, KPI flag), read into the lists' values.

A word StatDesk does not know is never turned into a default: the field is left unset (an
access level: non-public) and the word is listed with its row and the nearest known word. A
metric without a direction is "direction not set", never "higher is better"; its name may
suggest one (crime, wait times, backlogs, costs: lower is better), offered as a proposal.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from statdesk.domain.inventory import access_level_of
from statdesk.domain.vocabulary import (
    AccessLevel,
    Direction,
    Frequency,
    Labelled,
    MeasureType,
    RollUp,
    Unit,
    UpdateFrequency,
)
from statdesk.importing import coerce


class Word(NamedTuple):
    """What StatDesk made of a cell: the value (None: unset), whether the word is one it
    knows, and the nearest known word when it is not."""

    value: Any
    known: bool
    nearest: str = ""


_BLANK = Word(None, True)


def _key(text: Any) -> str:
    return " ".join(re.sub(r"[^0-9a-z%$#]+", " ", coerce.name(text).casefold()).split())


def _nearest(key: str, choices: dict[str, Labelled]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return choices[close[0]].label if close else ""


def _read(text: Any, words: dict[str, Labelled], contains: tuple[tuple[str, Any], ...]) -> Word:
    key = _key(text)
    if not key:
        return _BLANK
    if key in words:
        return Word(words[key], True)
    for pattern, value in contains:
        if re.search(pattern, key):
            return Word(value, True)
    return Word(None, False, _nearest(key, words))


def _labels(enum: type[Labelled], **more: Labelled) -> dict[str, Labelled]:
    found: dict[str, Labelled] = {}
    for member in enum:
        found[_key(member.value)] = member
        found[_key(member.label)] = member
    return found | {_key(k.replace("_", " ")): v for k, v in more.items()}


_MEASURE_TYPES = _labels(
    MeasureType,
    outputs=MeasureType.OUTPUT,
    inputs=MeasureType.INPUT,
    outcomes=MeasureType.OUTCOME,
    effectiveness=MeasureType.OUTCOME,
    result=MeasureType.OUTCOME,
    results=MeasureType.OUTCOME,
    impact=MeasureType.OUTCOME,
    quality=MeasureType.SERVICE_QUALITY,
    service=MeasureType.SERVICE_QUALITY,
    customer_service=MeasureType.SERVICE_QUALITY,
    workload=MeasureType.OUTPUT,
    demand=MeasureType.OUTPUT,
    activity=MeasureType.OUTPUT,
    cost=MeasureType.EFFICIENCY,
    cost_efficiency=MeasureType.EFFICIENCY,
    unit_cost=MeasureType.EFFICIENCY,
)


def measure_type(text: Any) -> Word:
    return _read(text, _MEASURE_TYPES, ())


_UNITS = _labels(
    Unit,
    **{"%": Unit.PERCENT, "pct": Unit.PERCENT, "percentage": Unit.PERCENT, "$": Unit.CURRENCY},
    dollars=Unit.CURRENCY,
    dollar=Unit.CURRENCY,
    usd=Unit.CURRENCY,
    money=Unit.CURRENCY,
    number=Unit.COUNT,
    numeric=Unit.COUNT,
    integer=Unit.COUNT,
    **{"#": Unit.COUNT},
    day=Unit.DAYS,
    hour=Unit.HOURS,
    hrs=Unit.HOURS,
    minute=Unit.MINUTES,
    mins=Unit.MINUTES,
    ratio=Unit.RATE,
    index=Unit.SCORE,
    rating=Unit.SCORE,
)
_UNIT_WORDS = (
    (r"%|\bpercent|\bpct\b|\bshare of\b", Unit.PERCENT),
    (r"\$|\bdollar|\bcurrency\b|\bcost\b|\bin millions\b|\bin thousands\b", Unit.CURRENCY),
    (r"\bdays?\b", Unit.DAYS),
    (r"\bhours?\b|\bhrs\b", Unit.HOURS),
    (r"\bminutes?\b|\bmins\b", Unit.MINUTES),
    (r"\bper 1[0,]*\b|\bper capita\b", Unit.RATE),
    (r"\brate\b", Unit.RATE),
    (r"\bscore\b|\bindex\b|\brating\b", Unit.SCORE),
    (r"\bcount\b|\bnumber\b|#", Unit.COUNT),
)


def unit(text: Any) -> Word:
    return _read(text, _UNITS, _UNIT_WORDS)


def unit_from_name(name: str) -> Unit | None:
    """The unit a metric's name says ("… (%)", "… (days)", "…, in millions"), or None."""
    key = _key(name)
    for pattern, value in _UNIT_WORDS[:6]:  # not "rate", "score" or "number": too loose
        if re.search(pattern, key):
            return value
    return None


_FREQUENCIES = _labels(
    Frequency,
    week=Frequency.WEEKLY,
    month=Frequency.MONTHLY,
    quarter=Frequency.QUARTERLY,
    annually=Frequency.ANNUAL,
    yearly=Frequency.ANNUAL,
    year=Frequency.ANNUAL,
    fiscal_year=Frequency.ANNUAL,
)
_FREQUENCY_WORDS = (
    (r"\b(bi|semi)[ -]?(annual|yearly)|\btwice a year", None),  # not one StatDesk keeps
    (r"\bweek", Frequency.WEEKLY),
    (r"\bmonth", Frequency.MONTHLY),
    (r"\bquarter", Frequency.QUARTERLY),
    (r"\bannual|\byear", Frequency.ANNUAL),
)


def frequency(text: Any) -> Word:
    word = _read(text, _FREQUENCIES, ())
    if word.known or word.value is not None:
        return word
    key = _key(text)
    for pattern, value in _FREQUENCY_WORDS:
        if re.search(pattern, key):
            return Word(value, value is not None, "" if value else "Quarterly or Annual")
    return word


_DIRECTIONS = _labels(
    Direction,
    up=Direction.UP,
    higher=Direction.UP,
    higher_is_better=Direction.UP,
    increase=Direction.UP,
    increasing=Direction.UP,
    favorable=Direction.UP,
    positive=Direction.UP,
    more=Direction.UP,
    down=Direction.DOWN,
    lower=Direction.DOWN,
    lower_is_better=Direction.DOWN,
    decrease=Direction.DOWN,
    decreasing=Direction.DOWN,
    unfavorable=Direction.DOWN,
    negative=Direction.DOWN,
    less=Direction.DOWN,
    reduce=Direction.DOWN,
    maintain=Direction.BAND,
    stable=Direction.BAND,
    steady=Direction.BAND,
    within=Direction.BAND,
    within_range=Direction.BAND,
    target_range=Direction.BAND,
    neutral=Direction.BAND,
)
_DIRECTION_WORDS = (
    (r"^(up|higher|increas|more|fav|maximi)", Direction.UP),
    (r"^(down|lower|decreas|less|unfav|reduc|minimi)", Direction.DOWN),
    (r"^(maintain|stable|steady|within|keep)", Direction.BAND),
)


def direction(text: Any) -> Word:
    """A metric's direction. "Maintain" (or "stable") is a band around the target, whose ends
    the analyst still has to set."""
    return _read(text, _DIRECTIONS, _DIRECTION_WORDS)


# A metric's name that says which way is better, for the proposal the analyst may accept.
_UP_NAMES = re.compile(
    r"\b(within|on[- ]time|on schedule|satisf|acceptabl|clean\b|cleanliness|complian|certified"
    r"|resolved|completed|closed|filled|repaired|served|visitors|attendance|participa|graduat"
    r"|employ|recycl|vaccinat|inspected|approved|collected|planted|paved|enrolled|retention)",
    re.IGNORECASE,
)
_DOWN_NAMES = re.compile(
    r"\b(crimes?|murders?|homicides?|assaults?|robber|burglar|thefts?|violent|fatalit|deaths?"
    r"|injur|accidents?|collisions?|crash|wait|response times?|time to|days to|hours to"
    r"|minutes to|average (days|time|hours|minutes)|median (days|time|hours|minutes)"
    r"|backlog|costs?\b|overdue|complaints?|vacanc|absen|turnover|overtime|errors?|outages?"
    r"|delays?|late\b|fires\b|structural fires|filthy|dirty|litter|evictions?|homeless"
    r"|spills?|overdoses?|shootings?|arson|rate of (crime|violent|property)|per 100,?000)",
    re.IGNORECASE,
)


def direction_from_name(name: str) -> tuple[Direction | None, str]:
    """A proposed direction from what the metric counts, with the words that suggest it:
    crime, fatalities, wait and response times, backlogs and costs are better lower; shares
    done on time, resolved or satisfied, better higher. None when the name does not say."""
    up, down = _UP_NAMES.search(name), _DOWN_NAMES.search(name)
    if up:
        return Direction.UP, f"'{up.group(0)}' in its name"
    if down:
        return Direction.DOWN, f"'{down.group(0)}' in its name"
    return None, ""


_ROLL_UPS = _labels(
    RollUp,
    total=RollUp.SUM,
    cumulative=RollUp.SUM,
    add=RollUp.SUM,
    mean=RollUp.AVERAGE,
    avg=RollUp.AVERAGE,
    latest=RollUp.LAST,
    point_in_time=RollUp.LAST,
    snapshot=RollUp.LAST,
    end_of_period=RollUp.LAST,
)


def roll_up(text: Any) -> Word:
    return _read(text, _ROLL_UPS, ())


_UPDATE_FREQUENCIES = _labels(
    UpdateFrequency,
    live=UpdateFrequency.REAL_TIME,
    realtime=UpdateFrequency.REAL_TIME,
    continuous=UpdateFrequency.REAL_TIME,
    hourly=UpdateFrequency.REAL_TIME,
    nightly=UpdateFrequency.DAILY,
    annual=UpdateFrequency.ANNUALLY,
    yearly=UpdateFrequency.ANNUALLY,
    as_needed=UpdateFrequency.IRREGULAR,
    ad_hoc=UpdateFrequency.IRREGULAR,
    on_demand=UpdateFrequency.IRREGULAR,
    varies=UpdateFrequency.IRREGULAR,
    historical=UpdateFrequency.NEVER,
    static=UpdateFrequency.NEVER,
    none=UpdateFrequency.NEVER,
    no_longer_updated=UpdateFrequency.NEVER,
)
_UPDATE_WORDS = (
    (r"\b(bi|semi)[ -]?(annual|yearly)|\btwice a year", None),
    (r"\b(real[ -]?time|live)\b", UpdateFrequency.REAL_TIME),
    (r"\b(daily|every day|nightly)\b", UpdateFrequency.DAILY),
    (r"\bweekly\b|\bevery week\b", UpdateFrequency.WEEKLY),
    (r"\bmonthly\b|\bevery month\b", UpdateFrequency.MONTHLY),
    (r"\bquarterly\b", UpdateFrequency.QUARTERLY),
    (r"\b(annual|annually|yearly)\b", UpdateFrequency.ANNUALLY),
    (r"\b(irregular|as needed|ad hoc)\b", UpdateFrequency.IRREGULAR),
)


def update_frequency(text: Any) -> Word:
    word = _read(text, _UPDATE_FREQUENCIES, ())
    if word.value is not None or not _key(text):
        return word
    key = _key(text)
    for pattern, value in _UPDATE_WORDS:
        if re.search(pattern, key):
            return Word(value, value is not None, word.nearest)
    return word


def access_level(text: Any) -> Word:
    """The access level; unknown words are non-public (never publishable by guess)."""
    if coerce.is_blank(text):
        return _BLANK
    level, known = access_level_of(coerce.name(text))
    return Word(level, known, "" if known else AccessLevel.NON_PUBLIC.label)


def kpi_flag(text: Any) -> Word:
    if coerce.is_blank(text):
        return _BLANK
    flag = coerce.truthy(text)
    if flag is None and _key(text) in ("critical", "key", "kpi", "primary", "headline"):
        flag = True
    if flag is None and _key(text) in ("supporting", "secondary", "other", "none"):
        flag = False
    return Word(flag, flag is not None, "Yes or No" if flag is None else "")


READERS: dict[str, tuple[str, Callable[[Any], Word]]] = {
    "measure_type": ("a measure type", measure_type),
    "unit": ("a unit", unit),
    "frequency": ("a reporting frequency", frequency),
    "direction": ("a direction", direction),
    "roll_up": ("a roll-up", roll_up),
    "is_kpi": ("a KPI flag", kpi_flag),
    "update_frequency": ("an update frequency", update_frequency),
    "access_level": ("an access level", access_level),
}
