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
ls -la "$here"/*.png
