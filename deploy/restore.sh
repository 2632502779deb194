#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh onto an EMPTY database and empty media folders.
#   DATABASE_URL=postgres://…/new_db MEDIA_ROOT=… PRIVATE_MEDIA_ROOT=… deploy/restore.sh /var/backups/union-portal/20261125T030000Z
# Refuses a database that already has tables, so it never mixes two sites' data.
set -euo pipefail
source_dir=${1:?usage: restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is required}"

( cd "$source_dir" && sha256sum --check --quiet SHA256SUMS )
tables=$(psql "$DATABASE_URL" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the target database is not empty ($tables tables); restore onto a new database" >&2
  exit 1
fi
for folder in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "restore.sh: $folder already holds files; restore into empty folders" >&2
    exit 1
  fi
done
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$source_dir/database.dump"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
tar -C "$PRIVATE_MEDIA_ROOT" -xzf "$source_dir/private_media.tar.gz"
echo "restored $source_dir"
