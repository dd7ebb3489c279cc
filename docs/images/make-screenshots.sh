#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the user guides' screenshots from the real app, offscreen, on a fresh demo project
# with 30 labels replayed (ResNet50 without a weights file, as the demo ships).
# Usage: docs/images/make-screenshots.sh [BUILD_DIR]   (default: build/release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/release}
cli=$build/app/camlabel-cli
gui=$build/app/camlabel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
# A settings folder of its own: no recent projects or keys of the person running this.
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
"$cli" demo "$work/demo" >/dev/null
"$cli" label "$work/demo" --from "$work/demo/labels.csv" --limit 30 --lockstep >/dev/null
shot() {  # NAME LANGUAGE VIEW
  "$gui" --language "$2" --screenshot "$here/$1.png" --screenshot-view "$3" "$work/demo" 2>/dev/null
}
shot labelling en labelling
shot overlay en overlay
shot compare en compare
shot training en training
shot help en help
shot labelling-ja ja overlay
shot compare-ja ja compare
"$gui" --language en --screenshot "$here/start.png" 2>/dev/null
"$gui" --language ja --screenshot "$here/start-ja.png" 2>/dev/null
"$gui" --language en --screenshot "$here/new-project-pacs.png" --screenshot-view new-project-pacs 2>/dev/null
"$gui" --language ja --screenshot "$here/new-project-pacs-ja.png" --screenshot-view new-project-pacs 2>/dev/null

# The team chapter: two readers' folders on a throwaway PostgreSQL server (Debian's binaries, a
# Unix socket in the work folder, no TCP port), each with 12 labels; they disagree on three.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
  pg=$work/pg
  mkdir -p "$pg"
  chmod 755 "$work"
  as=()
  if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL refuses root
    chown postgres "$pg"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$pgbin/initdb" -D "$pg/data" -A trust -U camlabel --no-sync >/dev/null
  "${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -o "-k $pg -c listen_addresses=" -l "$pg/log" -w start \
    >/dev/null
  trap '"${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
  server="host=$pg dbname=postgres user=camlabel"
  "$cli" project new "$work/dr-sato" --images "$work/demo/images" --server "$server" >/dev/null
  "$cli" project new "$work/dr-tanaka" --images "$work/demo/images" --server "$server" >/dev/null
  head -13 "$work/demo/labels.csv" >"$work/sato.csv"
  # Dr Tanaka reads rows 4, 7 and 10 as the next class.
  awk -F, 'NR == 1 { print; next } NR <= 13 { if (NR == 5 || NR == 8 || NR == 11) $NF = ($NF + 1) % 10;
    print }' OFS=, "$work/demo/labels.csv" >"$work/tanaka.csv"
  "$cli" label "$work/dr-sato" --from "$work/sato.csv" --annotator dr.sato >/dev/null
  "$cli" label "$work/dr-tanaka" --from "$work/tanaka.csv" --annotator dr.tanaka >/dev/null
  "$gui" --language en --screenshot "$here/team-labelling.png" "$work/dr-sato" 2>/dev/null
  "$gui" --language en --screenshot "$here/team-agreement.png" --screenshot-view agreement \
    "$work/dr-sato" 2>/dev/null
  # The adjudicator is the reader the app runs as (the login name).
  USER=dr.ito "$gui" --language en --screenshot "$here/team-disagreements.png" \
    --screenshot-view disagreements "$work/dr-sato" 2>/dev/null
  USER=dr.ito "$gui" --language ja --screenshot "$here/team-disagreements-ja.png" \
    --screenshot-view disagreements "$work/dr-sato" 2>/dev/null
else
  echo "no PostgreSQL binaries (package postgresql): team screenshots left as they are" >&2
fi
ls -la "$here"/*.png
