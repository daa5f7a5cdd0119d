#!/usr/bin/env bash
# Builds mediasoup-worker from the sources of the installed npm package, for hosts where the prebuilt worker
# cannot be downloaded (run by src/media/mediasoupWorkerBuild.ts; see mediasoup/README.md).
# Only registries are used: Debian's -dev packages (apt, when root), meson from PyPI (in a venv), the npm sources.
# The worker's Meson subprojects would be downloaded from GitHub/wrapdb: stub subprojects wrapping the Debian
# libraries replace them, and the per-version patch moves the worker to Debian's libsrtp2 and fixes a DTLS crash
# with Debian's KTLS-enabled OpenSSL.
#
# Env: MEDIASOUP_PACKAGE (the installed mediasoup package), MEDIASOUP_VERSION, PATCH_DIR (mediasoup/<version>),
#      OUTPUT (where the stripped binary goes), WORK_DIR (scratch, removed at the end), VENV_DIR, JOBS.
set -euo pipefail

: "${MEDIASOUP_PACKAGE:?}" "${MEDIASOUP_VERSION:?}" "${PATCH_DIR:?}" "${OUTPUT:?}" "${WORK_DIR:?}" "${VENV_DIR:?}"
JOBS="${JOBS:-2}"
MESON_VERSION="${MESON_VERSION:-1.12.0}"
DEBIAN_PACKAGES=(build-essential pkg-config python3-venv ninja-build patch libuv1-dev libssl-dev libsrtp2-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler)

log() { printf '==> %s\n' "$*"; }

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		echo "the mediasoup worker build needs these Debian packages: ${missing[*]} (apt-get install ${missing[*]}, or run as root)" >&2
		exit 3
	fi
	log "Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-cache policy libsrtp2-dev 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update -qq; fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian 12's meson 1.0.1 is older than the worker's required >= 1.1.0.
if ! "$VENV_DIR/bin/meson" --version 2>/dev/null | grep -qx "$MESON_VERSION"; then
	log "meson $MESON_VERSION from PyPI into $VENV_DIR"
	python3 -m venv "$VENV_DIR"
	"$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check "meson==$MESON_VERSION"
fi

log "sources of mediasoup $MEDIASOUP_VERSION from $MEDIASOUP_PACKAGE"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
trap 'rm -rf "$WORK_DIR"' EXIT
cp -r "$MEDIASOUP_PACKAGE/worker" "$WORK_DIR/worker"
chmod -R u+w "$WORK_DIR"
patch -d "$WORK_DIR" -p1 --forward --quiet < "$PATCH_DIR/mediasoup-$MEDIASOUP_VERSION-debian-system-deps.patch"
cp -r "$PATCH_DIR/subprojects/." "$WORK_DIR/worker/subprojects/"

log "meson setup"
"$VENV_DIR/bin/meson" setup "$WORK_DIR/build" "$WORK_DIR/worker" --wrap-mode=nodownload --buildtype=release -Db_ndebug=true >"$WORK_DIR/meson.log" 2>&1 || {
	tail -40 "$WORK_DIR/meson.log" >&2
	exit 1
}

log "ninja -j$JOBS mediasoup-worker"
nice -n 10 ninja -C "$WORK_DIR/build" -j"$JOBS" mediasoup-worker

install -m 0755 "$WORK_DIR/build/mediasoup-worker" "$OUTPUT"
strip "$OUTPUT"
log "built $OUTPUT"
