#!/usr/bin/env bash
# Cross-builds Fluent Bit for linux-arm64 on an x64 machine, from the same tarball and with the same options as
# ../shared/fluent-bit/build.sh (read from it, so the two cannot drift), for the arm64 check under qemu-user
# (tests/arm64/run.sh). Installs what it needs (Debian's aarch64 cross compilers, the arm64 libraries through
# multiarch, qemu-user-static) and prints the binary's path; a build of the same tarball and options is reused.
# usage: eng/build-fluent-bit-arm64.sh [DEST] [VERSION]   (defaults: $HOME/.cache/fluent-bit-VERSION-arm64, 5.1.1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${FLUENT_BIT_SOURCES:-$ROOT/../shared/fluent-bit}
VERSION=${2:-5.1.1}
DEST=${1:-$HOME/.cache/fluent-bit-$VERSION-arm64}
SRC=$SHARED/fluent-bit-$VERSION-src.tar.xz
[ -f "$SRC" ] || { echo "build-fluent-bit-arm64.sh: no $SRC" >&2; exit 2; }

# The cross compilers, and Fluent Bit's libraries for arm64 through Debian's multiarch.
pkgs=(gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static file
  flex bison cmake make pkg-config xz-utils
  libc6:arm64 libyaml-dev:arm64 libssl-dev:arm64 libsqlite3-dev:arm64 zlib1g-dev:arm64)
missing=(); for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The options of build.sh, as it states them (one array, opts=(...)).
opts_text=$(sed -n '/^opts=(/,/)$/p' "$SHARED/build.sh")
[ -n "$opts_text" ] || { echo "build-fluent-bit-arm64.sh: no opts=(...) in $SHARED/build.sh" >&2; exit 2; }
sql=-DFLB_PREFER_SYSTEM_LIB_SQLITE=On
top=$(tar -xJOf "$SRC" ./CMakeLists.txt 2>/dev/null || tar -xJOf "$SRC" CMakeLists.txt)
grep -q FLB_PREFER_SYSTEM_LIB_SQLITE <<<"$top" || sql=-DFLB_SQLDB=Off
eval "$opts_text"

stamp="$VERSION arm64 nobacktrace $(sha256sum "$SRC" | cut -c1-16) ${opts[*]}"
if [ -x "$DEST/build/bin/fluent-bit" ] && [ "$(cat "$DEST/.build-stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$DEST/build/bin/fluent-bit"; exit 0
fi

rm -rf "$DEST"; mkdir -p "$DEST"
tar -C "$DEST" -xJf "$SRC"
cat > "$DEST/aarch64.cmake" <<'CMAKE'
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
CMAKE
mkdir -p "$DEST/build"; cd "$DEST/build"
# libbacktrace is built by its own configure with the build machine's compiler: left out (only crash reports use it).
cmake .. -DCMAKE_TOOLCHAIN_FILE="$DEST/aarch64.cmake" "${opts[@]}" -DFLB_BACKTRACE=Off >"$DEST/cmake.log" 2>&1 \
  || { echo "build-fluent-bit-arm64.sh: cmake failed, see $DEST/cmake.log" >&2; exit 1; }
make -j"$(nproc)" fluent-bit-bin >"$DEST/make.log" 2>&1 \
  || { echo "build-fluent-bit-arm64.sh: make failed, see $DEST/make.log" >&2; exit 1; }
file "$DEST/build/bin/fluent-bit" | grep -q 'ARM aarch64' || { echo "build-fluent-bit-arm64.sh: not an arm64 binary" >&2; exit 1; }
qemu-aarch64-static "$DEST/build/bin/fluent-bit" --version >/dev/null
echo "$stamp" >"$DEST/.build-stamp"
echo "$DEST/build/bin/fluent-bit"
