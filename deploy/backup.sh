#!/usr/bin/env bash
# Back up the portal: the database (pg_dump, custom format) and the uploaded files (public
# media and private files), into one dated folder.
#   DATABASE_URL=postgres://… MEDIA_ROOT=… PRIVATE_MEDIA_ROOT=… deploy/backup.sh /var/backups/union-portal
# Restore with deploy/restore.sh onto an empty database.
set -euo pipefail
target_root=${1:?usage: backup.sh TARGET_DIR}
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is required}"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$target_root/$stamp"
umask 077  # consultation and case files are in here: the folder and its files are the owner's only
mkdir -p "$target_root"
mkdir -m 0700 "$target"
chmod 0700 "$target"  # even where mkdir -m is overridden by an ACL default

pg_dump --format=custom --no-owner --no-privileges --file "$target/database.dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
tar -C "$PRIVATE_MEDIA_ROOT" -czf "$target/private_media.tar.gz" .
( cd "$target" && sha256sum database.dump media.tar.gz private_media.tar.gz > SHA256SUMS )
echo "$target"
