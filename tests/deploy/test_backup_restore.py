"""deploy/backup.sh then deploy/restore.sh onto an empty database: the same rows, the same files."""

import subprocess
import uuid

import pytest
from django.db import connection

from .conftest import ROOT, need, production_env, run

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def table_counts(url: str) -> dict[str, int]:
    tables = subprocess.run(
        ["psql", url, "-Atc", "select tablename from pg_tables where schemaname = 'public' order by 1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    union = " union all ".join(f"select '{t}', count(*) from \"{t}\"" for t in tables)
    rows = subprocess.run(["psql", url, "-Atc", union], capture_output=True, text=True, check=True).stdout.split()
    return {name: int(n) for name, n in (row.split("|") for row in rows)}


def files_under(path):
    return sorted((str(p.relative_to(path)), p.read_bytes()) for p in path.rglob("*") if p.is_file())


def test_backup_then_restore_onto_an_empty_database_gives_back_every_row_and_file(postgres, tmp_path):
    need("pg_dump", "postgresql-client")
    from apps.accounts.tests.factories import UserFactory
    from apps.stations.tests.factories import StationFactory

    UserFactory.create_batch(3)
    StationFactory.create_batch(2)
    env = production_env(tmp_path, DATABASE_URL=postgres)
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "stations").mkdir(parents=True)
    (media / "stations" / "photo.jpg").write_bytes(b"\xff\xd8\xff demo")
    (private / "legal" / "2026").mkdir(parents=True)
    (private / "legal" / "2026" / "contract.pdf").write_bytes(b"%PDF-1.4 private")

    out = run(["bash", str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups")], env).stdout.strip()
    # Owner-only, the folder as well as its files (the folder was 0755 before).
    from pathlib import Path

    assert Path(out).stat().st_mode & 0o777 == 0o700
    assert all(f.stat().st_mode & 0o077 == 0 for f in Path(out).iterdir())

    target_db = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_db}"')
    target_url = postgres.rsplit("/", 1)[0] + "/" + target_db
    try:
        restored = production_env(
            tmp_path,
            DATABASE_URL=target_url,
            MEDIA_ROOT=str(tmp_path / "restored_media"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "restored_private"),
        )
        run(["bash", str(ROOT / "deploy" / "restore.sh"), out], restored)
        source_counts = table_counts(postgres)
        assert source_counts["accounts_user"] == 3 and source_counts["stations_station"] == 2
        assert table_counts(target_url) == source_counts
        assert files_under(tmp_path / "restored_media") == files_under(media)
        assert files_under(tmp_path / "restored_private") == files_under(private)
        # A second restore onto the now full database is refused, never mixed in.
        again = subprocess.run(
            ["bash", str(ROOT / "deploy" / "restore.sh"), out], cwd=ROOT, env=restored, capture_output=True, text=True
        )
        assert again.returncode == 1 and "not empty" in again.stderr
        # Media folders that already hold files are refused too, before the database is touched.
        fresh_db = f"restore_{uuid.uuid4().hex[:10]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{fresh_db}"')
        try:
            into_full = production_env(
                tmp_path,
                DATABASE_URL=postgres.rsplit("/", 1)[0] + "/" + fresh_db,
                MEDIA_ROOT=str(tmp_path / "restored_media"),
                PRIVATE_MEDIA_ROOT=str(tmp_path / "empty_private"),
            )
            command = ["bash", str(ROOT / "deploy" / "restore.sh"), out]
            refused = subprocess.run(command, cwd=ROOT, env=into_full, capture_output=True, text=True)
            assert refused.returncode == 1 and "already holds files" in refused.stderr
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_db}" WITH (FORCE)')
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')
