#!/usr/bin/env bash
# The autogenerate walk-through on MariaDB (or MySQL), runnable:
#
#   DATABASE_URL=mysql://user@host:3306/empty_db examples/anypod/mariadb/workflow.sh [FOLDER]
#
# works in a copy of this example (FOLDER, default a new temporary folder), so
# the repository stays clean, on the EMPTY database DATABASE_URL names
# (default: aludel.toml's, mysql://root@127.0.0.1:3306/anypod). It needs
# `aludel` on PATH (or ALUDEL=path/to/aludel) and the mariadb (or mysql)
# client. After each step it prints the row counts as
#   rows after STEP: feed=N download=N
# (crates/aludel-cli/tests/anypod_workflow_servers.rs runs it and checks them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${ALUDEL:-}" ]; then
  aludel() { "$ALUDEL" "$@"; }
fi
export DATABASE_URL="${DATABASE_URL:-mysql://root@127.0.0.1:3306/anypod}"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cp -R "$here/aludel.toml" "$here/schema.sql" "$here/migrations" "$work/"
cd "$work"
echo "working in $work"

# The client's options from the URL mysql://user[:password]@host[:port]/database.
client="$(command -v mariadb || command -v mysql)"
rest="${DATABASE_URL#*://}"
userinfo="${rest%%@*}"
hostpart="${rest#*@}"
database="${hostpart#*/}"
database="${database%%\?*}"
hostport="${hostpart%%/*}"
db_user="${userinfo%%:*}"
db_password=""
[ "$userinfo" != "$db_user" ] && db_password="${userinfo#*:}"
db_host="${hostport%%:*}"
db_port=3306
[ "$hostport" != "$db_host" ] && db_port="${hostport#*:}"
sql() {
  MYSQL_PWD="$db_password" "$client" --protocol=TCP -h "$db_host" -P "$db_port" -u "$db_user" \
    --batch --skip-column-names "$database" "$@"
}

rows() {
  echo "rows after $1: $(sql -e "SELECT CONCAT('feed=', (SELECT COUNT(*) FROM feed), ' download=', (SELECT COUNT(*) FROM download))")"
}

step() { printf '\n== %s\n' "$*"; }

step "1. The database at head, with some rows"
aludel upgrade head
sql <<'SQL'
INSERT INTO feed (id, source_type, source_url, title)
VALUES ('talk', 'channel', 'https://example.com/talk', 'Talk Show'),
       ('news', 'playlist', 'https://example.com/news', 'Daily News');
INSERT INTO download (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status)
VALUES ('talk', 'ep1', 'https://example.com/talk/1', 'Episode 1', '2025-06-01', 'mp3', 'audio/mpeg', 1000, 60, 'DOWNLOADED'),
       ('talk', 'ep2', 'https://example.com/talk/2', 'Episode 2', '2025-06-08', 'mp3', 'audio/mpeg', 2000, 90, 'QUEUED'),
       ('news', 'n1', 'https://example.com/news/1', 'Monday', '2025-06-02', 'm4a', 'audio/mp4', 500, 30, 'DOWNLOADED');
SQL
aludel check
rows "upgrade head"

step "2. Edit schema.sql: feed.title -> feed.name, feed.tags JSON, an index, download.mime_type nullable, download.filesize BIGINT"
cp "$here/workflow/schema_edited.sql" schema.sql
aludel check || echo "aludel check exited $? (the database differs from schema.sql)"

step "3. Autogenerate the revision; feed.title -> name is a rename, not a drop and an add"
aludel revision --autogenerate -m "feed name and tags" --rename feed.title=name
generated=$(ls migrations/versions/*_feed_name_and_tags*.sql)
for file in $generated; do
  sed -n '/^-- migrate:upgrade/,/^-- migrate:downgrade/p' "$file"
done

step "4. Upgrade, then check"
aludel upgrade head
rows "upgrade head"
aludel check
sql -e "UPDATE download SET status = 'DOWNLOADED' WHERE id = 'ep2'"
sql -e "SELECT id, name, total_downloads FROM feed ORDER BY id"

step "5. Downgrade one revision"
aludel downgrade -1
rows "downgrade -1"
sql -e "SELECT id, title, total_downloads FROM feed ORDER BY id"
