"""Where a city is kept: a file's path, or a server's postgresql:// address whose password is
never shown nor kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from statdesk.domain.locations import (
    BadAddress,
    ServerAddress,
    is_server,
    location_of,
    parse_server,
    shown,
    title_of,
)


def test_a_full_address_is_read_part_by_part() -> None:
    address = parse_server(
        "postgresql://ana%40city:p%3Ass@db.city.gov:6543/city%20stat"
        "?sslmode=verify-full&sslrootcert=C:%5Cca.pem"
    )
    assert (address.user, address.password, address.host, address.port) == (
        "ana@city",
        "p:ss",
        "db.city.gov",
        6543,
    )
    assert address.database == "city stat"
    assert address.option("sslmode") == "verify-full"
    assert address.option("sslrootcert") == "C:\\ca.pem"
    assert "p:ss" not in address.shown and "p:ss" not in repr(address)
    assert parse_server(address.shown) == address  # what is shown opens the same city
    assert title_of(address) == "city stat on db.city.gov"


@pytest.mark.parametrize(
    "text",
    ["postgres://h/d", "postgresql://h/d", "POSTGRESQL://h/d", "postgresql+psycopg://h/d"],
)
def test_each_spelling_of_the_scheme_is_a_server(text: str) -> None:
    assert is_server(text) and isinstance(location_of(text), ServerAddress)


def test_a_windows_path_or_a_share_is_a_file() -> None:
    for text in (r"C:\Stat\Riverton.statdesk", r"\\fs01\stat\City.statdesk", "City.statdesk"):
        assert not is_server(text)
        assert location_of(text) == Path(text)


def test_a_service_name_stands_for_host_and_database() -> None:
    address = parse_server("postgresql:///?service=citystat")
    assert address.option("service") == "citystat" and address.host == ""
    assert title_of(address) == "citystat"
    assert parse_server(address.shown) == address


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("postgresql://db.city.gov", "names no database"),
        ("postgresql://ana:pw@db.city.gov:notaport/stat", "cannot read the server address"),
    ],
)
def test_an_address_that_cannot_be_used_is_a_sentence_without_the_password(
    text: str, said: str
) -> None:
    with pytest.raises(BadAddress, match=said) as refused:
        parse_server(text)
    assert "pw" not in str(refused.value).replace("postgresql", "")


def test_shown_never_shows_a_password() -> None:
    assert shown("postgresql://ana:pw@h/d") == "postgresql://ana@h/d"
    assert shown(Path("City.statdesk")) == "City.statdesk"
