#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package camlabel needs to build, run and test.
# Idempotent: prints nothing and changes nothing when all packages are present.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git clang-format
  # libraries
  libtorch-dev libopencv-dev libdcmtk-dev libsqlite3-dev libssl-dev zlib1g-dev libpng-dev
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcsv-dev libzip-dev libpq-dev
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-charts-dev libqt6opengl6-dev libgl-dev libcairo2-dev
  # tests: GoogleTest, and the DICOM samples and reference tooling of python3-pydicom/torch
  libgtest-dev libgmock-dev python3-pydicom python3-numpy
  # a real PACS for the query/retrieve tests (each test starts its own on a free port)
  orthanc
  # a real PostgreSQL for the team tests (each test starts its own cluster on a Unix socket)
  postgresql
  # fuzzing the readers of outside bytes: clang's libFuzzer and sanitizers (the fuzz preset)
  clang libclang-rt-14-dev
  # GUI tests and screenshots without a display; a Japanese font (3.5 MB) for the Japanese UI
  xvfb xauth fonts-ipafont-gothic qt6-translations-l10n
  # the Debian package: dependencies from dpkg-shlibdeps, and validators of its desktop files
  dpkg-dev desktop-file-utils appstream
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "camlabel: installing ${#missing[@]} Debian packages: ${missing[*]}"
run_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
export DEBIAN_FRONTEND=noninteractive
run_root apt-get update -q
run_root apt-get install -y -q --no-install-recommends "${missing[@]}"
# Orthanc is here for the tests, which start servers of their own on free ports: when this script
# installed it, stop and disable the system service its package starts under systemd.
if [[ " ${missing[*]} " == *" orthanc "* ]] && [ -d /run/systemd/system ]; then
  run_root systemctl disable --now orthanc >/dev/null 2>&1 || true
fi
# The same for PostgreSQL's system cluster: camlabel's tests never use it.
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ -d /run/systemd/system ]; then
  run_root systemctl disable --now postgresql >/dev/null 2>&1 || true
fi
