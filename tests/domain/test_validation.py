"""Record rules: each problem names its field and says what to fix."""

from __future__ import annotations

from datetime import date

import pytest

from statdesk.domain.validation import is_email, is_link, problems_with
from statdesk.domain.vocabulary import Direction, Role


def fields_of(kind: str, **fields: object) -> set[str]:
    return {p.field for p in problems_with(kind, fields)}


def test_a_person_needs_a_name_and_a_real_email() -> None:
    assert fields_of("person", name="Ana Ruiz", email="ana@city.example") == set()
    assert fields_of("person", name="  ", email="ana at city") == {"name", "email"}
    assert fields_of("person", name="Ana", phone="call me") == {"phone"}
    assert fields_of("person", name="Ana", phone="(555) 0142 x12") == set()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("a.b@c.org", True),
        ("first.last+stat@city.gov", True),
        ("a@b", False),
        ("two@@at.org", False),
        ("spaces in@x.org", False),
        ("", False),
    ],
)
def test_email_format(text: str, ok: bool) -> None:
    assert is_email(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("https://data.city.example/x", True),
        ("\\\\fs01\\data\\pw", True),
        ("S:\\Stat\\inventory.xlsx", True),
        ("file:///srv/x.csv", True),
        ("see Bob", False),
        ("www.example.com", False),
    ],
)
def test_links_are_web_addresses_or_folder_paths(text: str, ok: bool) -> None:
    assert is_link(text) is ok


def test_a_band_metric_needs_a_sensible_band() -> None:
    assert fields_of("metric", name="Reserve", direction=Direction.BAND) == {"band_low"}
    assert fields_of("metric", name="Reserve", direction="band", band_low=20, band_high=15) == {
        "band_low"
    }
    assert fields_of("metric", name="Reserve", direction="band", band_low=15, band_high=20) == set()


def test_metric_rules() -> None:
    assert fields_of("metric", name="x", tolerance=-1) == {"tolerance"}
    assert fields_of("metric", name="x", is_kpi=True, kpi_id=3) == {"kpi_id"}
    assert fields_of("metric", id=4, name="x", kpi_id=4) == {"kpi_id"}
    assert fields_of("metric", name="x", baseline_value=3.0) == {"baseline_period"}


def test_dataset_scores_links_and_dates() -> None:
    assert fields_of("dataset", title="Permits", score_value=6, score_risk=0) == {
        "score_value",
        "score_risk",
    }
    assert fields_of("dataset", title="Permits", landing_page="ask Bob") == {"landing_page"}
    assert fields_of(
        "dataset", title="Permits", temporal_start=date(2020, 1, 1), temporal_end=date(2019, 1, 1)
    ) == {"temporal_start"}


def test_action_items_and_meetings() -> None:
    assert fields_of("action item", description="") == {"description"}
    assert fields_of("action item", description="x", status="merged") == {"merged_into_id"}
    assert fields_of("action item", id=2, description="x", merged_into_id=2) == {"merged_into_id"}
    assert fields_of("meeting", department_id=1, starts_at="x", session_minutes=600) == {
        "session_minutes"
    }


def test_city_fiscal_year_start_is_a_month() -> None:
    assert fields_of("city", name="Riverton", fiscal_year_start_month=13) == {
        "fiscal_year_start_month"
    }


def test_vocabulary_reads_labels_and_values() -> None:
    assert Role.from_text("Budget Analyst") is Role.BUDGET_ANALYST
    assert Role.from_text("department-contact") is Role.DEPARTMENT_CONTACT
    assert Role.DEPARTMENT_LEAD.label == "Department lead"
    with pytest.raises(ValueError, match="is not one of"):
        Role.from_text("Wizard")
