#!/bin/sh
# A streaming read replica of a PostgreSQL primary, for DATABASE_READ_URL (README: "Read replica").
#
# Usage: deploy/replica.sh <primary-url> <port> <datadir>
#   primary-url  e.g. postgres://postgres@127.0.0.1:5432/wangge (the user needs REPLICATION, and the
#                primary's pg_hba.conf a `replication` line for this host)
#   port         the replica listens on 127.0.0.1:<port>
#   datadir      created with pg_basebackup -R when it does not exist (or is empty); an existing
#                replica data directory is just started again
# Prints the replica's URL (same database and user as the primary's) on its last line.
#
# Stop: deploy/replica.sh stop <datadir>   (pg_ctl stop -m fast)
#
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin); REPLICA_ADD_HBA=1 appends
# `host replication all 127.0.0.1/32 trust` to a local primary's pg_hba.conf and reloads it
# when it has no replication line (test machines only: it trusts every local user).
# Run as root, the PostgreSQL commands run as the postgres user (postgres refuses root), so
# <datadir>'s parent must be reachable by that user.
set -eu

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ $# -eq 2 ] && [ "$1" = stop ]; then
  as_postgres "$PG_BIN/pg_ctl" -D "$2" stop -m fast -w -t 30
  exit
fi
if [ $# -ne 3 ]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
fi
PRIMARY_URL=$1
PORT=$2
DATADIR=$3

case $PORT in '' | *[!0-9]*)
  echo "replica.sh: port must be a number, got \"$PORT\"" >&2
  exit 2
  ;;
esac

if [ -f "$DATADIR/standby.signal" ]; then
  echo "replica.sh: $DATADIR is a replica already: starting it" >&2
else
  if [ -n "$(ls -A "$DATADIR" 2>/dev/null || true)" ]; then
    echo "replica.sh: $DATADIR exists and is not an empty directory or a replica" >&2
    exit 1
  fi
  # Replication access: without a pg_hba.conf line pg_basebackup fails with "no pg_hba.conf entry
  # for replication connection".
  RULES=$("$PG_BIN/psql" -X -qAt -d "$PRIMARY_URL" -c \
    "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND (type = 'local' OR address IN ('127.0.0.1', '0.0.0.0'))")
  if [ "$RULES" = 0 ]; then
    if [ "${REPLICA_ADD_HBA:-0}" = 1 ]; then
      HBA=$("$PG_BIN/psql" -X -qAt -d "$PRIMARY_URL" -c 'SHOW hba_file')
      echo 'host replication all 127.0.0.1/32 trust' >>"$HBA"
      "$PG_BIN/psql" -X -qAt -d "$PRIMARY_URL" -c 'SELECT pg_reload_conf()' >/dev/null
      echo "replica.sh: added a replication line to $HBA and reloaded the primary" >&2
    else
      echo "replica.sh: the primary's pg_hba.conf has no replication line for 127.0.0.1;" >&2
      echo "  add 'host replication all 127.0.0.1/32 trust' (or scram) and reload, or set REPLICA_ADD_HBA=1" >&2
      exit 1
    fi
  fi
  mkdir -p "$DATADIR"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATADIR"; fi
  chmod 700 "$DATADIR"
  # -R writes standby.signal and primary_conninfo; -X stream carries the WAL written meanwhile.
  as_postgres "$PG_BIN/pg_basebackup" -d "$PRIMARY_URL" -D "$DATADIR" -R -X stream -c fast
  # A Debian cluster keeps its configuration in /etc, outside the copied data directory.
  [ -f "$DATADIR/postgresql.conf" ] || as_postgres sh -c "echo '# replica (deploy/replica.sh)' > '$DATADIR/postgresql.conf'"
  [ -f "$DATADIR/pg_hba.conf" ] || as_postgres sh -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > '$DATADIR/pg_hba.conf'"
  [ -f "$DATADIR/pg_ident.conf" ] || as_postgres touch "$DATADIR/pg_ident.conf"
  # postgresql.auto.conf wins over postgresql.conf (the primary's port and sockets).
  as_postgres sh -c "cat >> '$DATADIR/postgresql.auto.conf'" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
logging_collector = off
CONF
fi

as_postgres "$PG_BIN/pg_ctl" -D "$DATADIR" -l "$DATADIR/replica.log" -w -t 60 start >/dev/null
as_postgres "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 30

# The primary's URL with the replica's host and port.
node -e '
const url = new URL(process.argv[1]);
url.hostname = "127.0.0.1";
url.port = process.argv[2];
console.log(url.toString());
' "$PRIMARY_URL" "$PORT"
