"""Open Recent: newest first, missing local files pruned, network paths kept."""

from __future__ import annotations

import json
from pathlib import Path

from statdesk import recent


def test_newest_first_without_duplicates_and_capped(tmp_path: Path) -> None:
    files = [tmp_path / f"city{i}.statdesk" for i in range(12)]
    for path in files:
        path.touch()
        recent.remember(path)
    recent.remember(files[3])
    listed = recent.recent_files()
    assert listed[0] == files[3]
    assert len(listed) == recent.LIMIT and len(set(listed)) == recent.LIMIT
    assert recent.last_file() == files[3]


def test_missing_local_files_are_pruned_but_network_paths_kept(
    tmp_path: Path, statdesk_home: Path
) -> None:
    here = tmp_path / "here.statdesk"
    here.touch()
    gone = tmp_path / "gone.statdesk"
    store = statdesk_home / "config" / "recent.json"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps([str(gone), r"\\cityhall-fs01\stat\City.statdesk", str(here)]))
    assert [str(p) for p in recent.recent_files()] == [
        r"\\cityhall-fs01\stat\City.statdesk",
        str(here),
    ]


def test_a_damaged_list_is_ignored(statdesk_home: Path) -> None:
    (statdesk_home / "config").mkdir(parents=True, exist_ok=True)
    (statdesk_home / "config" / "recent.json").write_text("{not json")
    assert recent.recent_files() == []


def test_a_servers_city_is_remembered_without_its_password(statdesk_home: Path) -> None:
    from statdesk.domain.locations import parse_server

    typed = parse_server("postgresql://ana:s3cret@db.city.gov:6543/stat?sslmode=require")
    recent.remember(typed)
    stored = (statdesk_home / "config" / "recent.json").read_text()
    assert "s3cret" not in stored
    [again] = recent.recent_files()
    assert again == typed and again.password == ""  # the same city, the password not kept
    assert again.shown == "postgresql://ana@db.city.gov:6543/stat?sslmode=require"
