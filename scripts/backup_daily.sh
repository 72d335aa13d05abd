#!/usr/bin/env bash
# Daily backup for cron (when the backup is not run by `arriendo serve` itself):
#   0 2 * * * /opt/arriendo/scripts/backup_daily.sh >> /var/log/arriendo/backup.log 2>&1
# Settings come from the environment or from the .env file in ARRIENDO_HOME (BACKUP_* variables,
# DATABASE_URL, ARRIENDO_DATA_DIR); see docs/respaldos.md. Exit code: 0 ok, 1 failed, 2 bad configuration.
# It does what the schedule inside `arriendo serve` does (`--auto`): a full set every
# BACKUP_FULL_EVERY_DAYS days (7), an incremental set the other days. BACKUP_FORMAT, when set, is
# passed on (`both` also gives incrementals a fresh database file; `db` writes full sets only).
set -euo pipefail

ARRIENDO_HOME=${ARRIENDO_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
ARRIENDO_BIN=${ARRIENDO_BIN:-$ARRIENDO_HOME/target/release/arriendo}

if [ ! -x "$ARRIENDO_BIN" ]; then
  ARRIENDO_BIN=$(command -v arriendo || true)
fi
if [ -z "$ARRIENDO_BIN" ]; then
  echo "backup_daily: the arriendo binary was not found (set ARRIENDO_BIN)" >&2
  exit 2
fi

cd "$ARRIENDO_HOME"   # so the .env file there is read
echo "[$(date -u +%Y-%m-%dT%H:%M:%SZ)] backup starting"
extra=()
if [ -n "${BACKUP_OUTPUT_DIR:-}" ]; then extra+=(--output-dir "$BACKUP_OUTPUT_DIR"); fi
mode=(--auto)
case "${BACKUP_FORMAT:-}" in
  "") ;;
  db) mode=(--full --format db) ;;   # a database file alone cannot be incremental
  *) extra+=(--format "$BACKUP_FORMAT") ;;
esac
status=0
# No --keep-days here: arriendo reads BACKUP_KEEP_DAYS from the environment or the .env file itself,
# and a flag would override the .env setting with this script's default.
"$ARRIENDO_BIN" backup "${mode[@]}" "${extra[@]}" "$@" || status=$?
echo "[$(date -u +%Y-%m-%dT%H:%M:%SZ)] backup finished with exit code $status"
exit "$status"
