#!/bin/sh
# Installs every Debian package amorph's build, tests, benchmarks and demo need
# (clang and its libFuzzer runtime: the fuzzers of make test-sanitize;
# chromium: the test that renders the HTML report in a real browser;
# numpy, cffi, ASE, pytest: the Python package and its tests;
# libxgboost-dev: gradient-boosted trees of amorph learn).
# Idempotent: packages already present are left alone. Run as root.
set -eu

PKGS="build-essential cmake pkg-config
libopenblas-dev liblapacke-dev libsuitesparse-dev libgsl-dev
voro++-dev voro++ libomp-dev libxgboost-dev
lammps lammps-data liblammps-dev
gnuplot-nox bc openmpi-bin libopenmpi-dev
python3 python3-numpy python3-cffi python3-ase python3-pytest
chromium
clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root (sudo $0)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "install-deps: installed$missing"
