#!/usr/bin/env bash
# Installs what building a plugin needs and a fresh machine may lack: a C toolchain for NativeAOT's
# link step and for the host (gcc: the host's checks expect gcc's code and DWARF, which Debian 12's
# valgrind reads; clang 14 writes DWARF 5 it cannot), make, the zlib headers, and the library
# tools/flb-host packs and reads chunks with (msgpack-c, the one Fluent Bit packs records with). With --tests, also what the tests run: Debian's prometheus package (promtool
# lints the exposition, a Prometheus server scrapes it), valgrind (the host's memory checks) and the aarch64
# cross gcc (the template's plugin is published for linux-arm64 too).
set -euo pipefail

tests=false
[ "${1:-}" = "--tests" ] && tests=true

missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ -f /usr/include/msgpack.h ] || missing+=(libmsgpack-dev)
if $tests && { [ ! -x /usr/bin/promtool ] || [ ! -x /usr/bin/prometheus ]; }; then
    missing+=(prometheus)
fi
if $tests && ! command -v valgrind >/dev/null 2>&1; then
    missing+=(valgrind)
fi
# The package test publishes the template's plugin for linux-arm64 too: the link needs the aarch64 cross gcc.
if $tests && ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
    missing+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-deps: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "ensure-deps: the .NET SDK (10.0) is required: https://dotnet.microsoft.com/download" >&2
    exit 1
fi
