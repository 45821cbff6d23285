#!/usr/bin/env bash
# The system files a frozen medins-desk uses that no ELF file of it names:
#   installer/deb/runtime-files.sh EXECUTABLE
# prints one path a line, for build.sh to turn into Depends with dpkg -S:
#   - what it has mapped once its sign-in window is on screen (/proc/PID/maps): the libraries
#     Qt loaded with dlopen and the font files it drew with (FreeType maps what it reads). It
#     runs on a private Xvfb with empty settings and a scratch store, killed once it is shown;
#   - the libraries `card read` loads (the dynamic loader's LD_DEBUG=libs): pyscard opens the
#     PC/SC client library with dlopen. No reader service needs to run for that.
set -euo pipefail

exe=$(readlink -f "${1:?usage: runtime-files.sh EXECUTABLE}")
bundle=$(dirname "$exe")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/medins-runtime.XXXXXX")
xvfb_pid="" app_pid=""
cleanup() {
    [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# A display number nobody uses: Xvfb -displayfd picks one and says which.
exec 3>"$scratch/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s $scratch/display ]] && break; sleep 0.1; done
display=":$(head -n1 "$scratch/display")"
[[ $display != ":" ]] || { cat "$scratch/xvfb.log" >&2; exit 1; }

env -i PATH=/usr/bin:/bin HOME="$scratch" LANG=C.UTF-8 DISPLAY="$display" \
    MEDINS_DATA_DIR="$scratch/data" MEDINS_CONFIG_DIR="$scratch/config" \
    MEDINS_LOG_DIR="$scratch/log" XDG_STATE_HOME="$scratch/state" \
    "$exe" -v >"$scratch/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 600); do
    grep -q "sign-in window shown" "$scratch/app.log" && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$scratch/app.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "sign-in window shown" "$scratch/app.log" || { cat "$scratch/app.log" >&2; exit 1; }
sleep 0.5  # the window painted: its fonts are read
awk '$6 ~ /^\// {print $6}' "/proc/$app_pid/maps" >"$scratch/files"

env -i PATH=/usr/bin:/bin HOME="$scratch" LANG=C.UTF-8 LD_DEBUG=libs \
    MEDINS_DATA_DIR="$scratch/data" MEDINS_CONFIG_DIR="$scratch/config" \
    MEDINS_LOG_DIR="$scratch/log" "$exe" card read >/dev/null 2>"$scratch/card.log" || true
grep -q 'calling init: .*_scard' "$scratch/card.log" || { cat "$scratch/card.log" >&2; exit 1; }
sed -n 's/.*calling init: \(\/[^ ]*\).*/\1/p' "$scratch/card.log" >>"$scratch/files"

sort -u "$scratch/files" | grep -v -e "^$bundle/" -e "^$scratch/" -e '^/dev/' -e '^/memfd:' || true
