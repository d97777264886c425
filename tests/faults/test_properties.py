"""Property tests: the coercers and the period parser never raise on any text a cell can
hold, and give back what they accept."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from statdesk.domain.periods import Frequency, label, parse_period, period_containing
from statdesk.importing import coerce

CELLS = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.booleans(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(CELLS)
@example("\x00Pot\x00holes\x0c")
@example("#DIV/0!")
@example("1899-12-31")
@example("FY26 Q5")
def test_the_coercers_never_raise(value: object) -> None:
    for read in (coerce.number, coerce.to_date):
        cell = read(value)
        assert cell.value is None or cell.problem is None
    period = coerce.to_period(value, 7)
    assert period.value is None or period.value.start.year >= coerce.FIRST_YEAR
    assert "\x00" not in coerce.name(value)
    coerce.truthy(value)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e10, max_value=1e10, allow_nan=False).map(lambda v: round(v, 4)))
@example(10_000_000_000.75)  # a $10 billion budget to the cent (15 digits, as Excel keeps)
def test_a_number_reads_back_as_itself_from_its_text(value: float) -> None:
    """Up to Excel's 15 significant digits, nothing is lost."""
    assert coerce.number(repr(value)).value == value
    assert coerce.number(f"{value:,.4f}").value == round(value, 4)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL]),
    st.integers(min_value=1, max_value=12),
)
def test_a_period_label_parses_back_to_its_period(day: date, frequency: Frequency, fy: int) -> None:
    period = period_containing(day, frequency, fy)
    assert parse_period(label(period, fy), fy, frequency) == period
    assert coerce.to_period(label(period, fy), fy, frequency).value == period


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_a_date_reads_back_from_its_iso_text(day: date) -> None:
    assert coerce.to_date(day.isoformat()).value == day
