#!/usr/bin/env bash
# Developer and CI setup for medins-desk: installs what the app and its tests need, then runs them.
#
#   installer/dev-setup.sh system-test   Debian packages the test suite needs (apt-get when root)
#   installer/dev-setup.sh system-run    Debian packages running the app needs
#   installer/dev-setup.sh venv          $VENV with the project installed editable, with [dev]
#   installer/dev-setup.sh test [ARGS]   system-test + venv, static checks, then pytest ARGS; without
#                                        ARGS (CI) also package and package-test
#   installer/dev-setup.sh run [ARGS]    system-run + venv, migrate, seed demo data, start the app
#   installer/dev-setup.sh package      the frozen bundle (dist/medins-desk) and the .deb (dist/)
#   installer/dev-setup.sh package-test [ARGS]  the .deb installed in a clean Debian root, used there
#   installer/dev-setup.sh bench [ARGS]  venv, then tests/bench/run.py ARGS
#   installer/dev-setup.sh bench-gui [--db FILE]  medins-desk launched on Xvfb, keystroke, memory, card
#   installer/dev-setup.sh bench-package [--db FILE]  the same start-up figures for the installed .deb
#   installer/dev-setup.sh bench-card [ARGS]  the card read on pcscd + vpcd (tests/bench/cardread.py)
#   installer/dev-setup.sh bench-serve [ARGS]  time to serve: keys and waits per business (tests/bench/serve.py)
#   installer/dev-setup.sh bench-vouchers [ARGS]  voucher and ledger PDFs (tests/bench/vouchers.py)
#   installer/dev-setup.sh bench-hall [ARGS]  16 counters on a private PostgreSQL (medins-desk hall loadtest)
#   installer/dev-setup.sh screenshots [DIR]  every view as a PNG, under Xvfb
#   installer/dev-setup.sh i18n          refresh resources/i18n/*.ts from the tr() strings in ui/
#   installer/dev-setup.sh lint          the static checks alone: ruff, mypy, import-linter
#   installer/dev-setup.sh clean         caches and build outputs (keeps $VENV)
#
# Environment: PYTHON (default python3) creates the venv; VENV (default .venv, relative to the repo
# root). Every step is idempotent and skips work already done: apt-get runs only when a package is
# missing, pip only when pyproject.toml is newer than the stamp inside the venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
STAMP="$VENV/.medins-desk-installed"

# --- Debian packages, one list per purpose ----------------------------------------------------
# system-run installs every RUN_APT_* list; system-test installs every RUN_APT_* and TEST_APT_* list
# (found by their prefix), so adding a purpose is one line here.

# Creating the venv with Debian's python3 (ensurepip), building any sdist pip falls back to, make.
RUN_APT_PYTHON=(python3-venv python3-dev gcc make)
# pip builds pyscard (the PC/SC binding) from its sdist against these headers, and the app
# talks to the card reader through pcscd.
RUN_APT_PCSC=(libpcsclite-dev pcscd)
# The virtual reader the 培训/演示 menu inserts its demo cards into.
RUN_APT_VPCD=(vsmartcard-vpcd)
# What Qt's xcb and offscreen platforms load (PySide6 wheels bring Qt, not these), and a CJK font
# so Chinese renders as glyphs rather than boxes.
RUN_APT_QT=(libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0
    libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 fonts-wqy-microhei
    fonts-hanazono)  # HanaMin B: names with CJK Extension B characters (王𠮷)
# Vouchers print through CUPS ``lp`` (printing/printer.py); the 黑体 face is shipped in
# resources/fonts, the 宋体 of body text is AR PL UMing, HanaMin B for Extension B names comes
# from fonts-hanazono (RUN_APT_QT).
RUN_APT_PRINTING=(cups-client fonts-arphic-uming)
# The printing tests: a real cupsd with a CUPS-PDF queue, pdftoppm/pdftotext/pdffonts, zbarimg,
# mutool trace for the glyphs drawn.
TEST_APT_PRINTING=(cups printer-driver-cups-pdf poppler-utils zbar-tools mupdf-tools)
# An X server for the screenshots of every view (installer/dev-setup.sh screenshots), and for
# bench-gui, which watches it and types into it through libX11 and XTEST (tests/helpers/x11.py).
TEST_APT_XVFB=(xvfb xauth libx11-6 libxtst6)
# The virtual card reader driver the card tests plug their virtual cards into, and pcsc_scan.
TEST_APT_PCSC=(pcsc-tools)
# The PostgreSQL server binaries for the private cluster of tests/helpers/postgres.py.
TEST_APT_POSTGRES=(postgresql libpq5)
# The .deb (installer/deb/build.sh): dpkg-shlibdeps derives Depends, patchelf takes the build
# machine's paths out of RUNPATH, strip (binutils) as dh_strip does, lintian checks the result;
# Xvfb runs the bundle once to see what Qt opens at run time.
PACKAGE_APT_DEB=(dpkg-dev patchelf binutils lintian xvfb xauth)
# The package test's clean Debian root (tests/package): mmdebstrap makes it.
PACKAGE_APT_ROOT=(mmdebstrap zstd)

# --------------------------------------------------------------------------------------------------

log() { printf '[dev-setup] %s\n' "$*" >&2; }
die() { printf '[dev-setup] error: %s\n' "$*" >&2; exit 1; }

# phase NAME CMD...: runs CMD (a command or one of the functions here) with errexit in force,
# logs how long it took and returns its status. CMD runs in a subshell: errexit would be ignored
# inside a function called as `f || ...`, and a failed step must never pass for a done one.
phase() {
    local name=$1 start=$EPOCHREALTIME rc=0 status=done
    shift
    set +e
    (set -e; "$@")
    rc=$?
    set -e
    [[ $rc == 0 ]] || status="FAILED (exit $rc)"
    log "$(awk -v n="$name" -v s="$status" -v a="$EPOCHREALTIME" -v b="$start" \
        'BEGIN { printf "%-12s %s in %.1f s", n, s, a - b }')"
    return "$rc"
}

is_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# ensure_apt PREFIX...: makes sure every package of every list named PREFIX* is installed.
ensure_apt() {
    local prefix var pkg
    local -a wanted=() missing=()
    for prefix in "$@"; do
        for var in $(compgen -A variable "$prefix"); do
            local all="$var[@]"
            wanted+=("${!all}")
        done
    done
    if ! command -v dpkg-query >/dev/null; then
        log "not a Debian system: make sure these (or your distribution's equivalents) are installed:"
        log "  ${wanted[*]}"
        return 0
    fi
    for pkg in "${wanted[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    [[ ${#missing[@]} == 0 ]] && return 0
    if [[ $(id -u) != 0 ]]; then
        log "missing Debian packages: ${missing[*]}"
        log "install them as root, then run this again:"
        log "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        return 1
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local -a apt=(apt-get -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
    "${apt[@]}" update
    "${apt[@]}" install -y "${missing[@]}"
}

cmd_system_test() { ensure_apt RUN_APT_ TEST_APT_ PACKAGE_APT_; }
cmd_system_run() { ensure_apt RUN_APT_; }

cmd_venv() {
    if ! "$VENV/bin/python" -c '' 2>/dev/null; then
        command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON=/path/to/python3.11)"
        "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || die "$PYTHON is $("$PYTHON" -V 2>&1); medins-desk needs Python >= 3.11 (set PYTHON=...)"
        log "creating $VENV with $("$PYTHON" -V 2>&1)"
        "$PYTHON" -m venv --clear "$VENV"
        rm -f "$STAMP"
    fi
    if [[ -f $STAMP && ! pyproject.toml -nt $STAMP ]]; then
        return 0
    fi
    local -a pip=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
    local -a install=(install)
    if [[ -n ${CI:-} ]]; then install+=(--progress-bar off); fi
    log "installing the project and its [dev] extras into $VENV"
    "${pip[@]}" "${install[@]}" -q --upgrade pip
    "${pip[@]}" "${install[@]}" -q -e '.[dev]'
    date -u +'%Y-%m-%dT%H:%M:%SZ' >"$STAMP"
}

# PyInstaller ([package] extras) in the same venv, when pyproject.toml is newer than its stamp.
PACKAGE_STAMP="$VENV/.medins-desk-package-installed"
cmd_package_venv() {
    if [[ -f $PACKAGE_STAMP && ! pyproject.toml -nt $PACKAGE_STAMP ]]; then
        return 0
    fi
    local -a install=(install -q)
    if [[ -n ${CI:-} ]]; then install+=(--progress-bar off); fi
    log "installing the [package] extras (PyInstaller) into $VENV"
    "$VENV/bin/python" -m pip --disable-pip-version-check --no-input "${install[@]}" \
        -e '.[dev,package]'
    date -u +'%Y-%m-%dT%H:%M:%SZ' >"$PACKAGE_STAMP"
}

# The vouchers' GB 2312 宋体 subset (installer/song_subset.py) from AR PL UMing, when the source or
# the script is newer; without the system font the vouchers set body text in the 黑体.
SONG_SOURCE=/usr/share/fonts/truetype/arphic/uming.ttc
SONG_SUBSET=resources/fonts/song-gb2312.ttf
cmd_song_font() {
    [[ -f $SONG_SOURCE ]] || return 0
    if [[ -f $SONG_SUBSET && ! $SONG_SOURCE -nt $SONG_SUBSET \
        && ! installer/song_subset.py -nt $SONG_SUBSET ]]; then
        return 0
    fi
    "$VENV/bin/python" installer/song_subset.py "$SONG_SOURCE" "$SONG_SUBSET"
}

# The GUI's compiled catalogues (ui/i18n/*.qm) from resources/i18n/*.ts, when a .ts is newer.
cmd_translations() {
    local ts qm
    mkdir -p ui/i18n
    for ts in resources/i18n/*.ts; do
        qm="ui/i18n/$(basename "${ts%.ts}").qm"
        if [[ ! -f $qm || $ts -nt $qm ]]; then
            "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
        fi
    done
}

# After changing user-visible strings: refresh the .ts sources (then translate the new entries).
cmd_i18n() {
    phase venv cmd_venv
    local -a sources
    mapfile -t sources < <(find ui -name '*.py' | sort)
    "$VENV/bin/pyside6-lupdate" "${sources[@]}" -source-language zh_CN -target-language en \
        -locations none -no-obsolete -ts resources/i18n/medins_desk_en.ts
}

use_venv() {
    if [[ $VENV == /* ]]; then VIRTUAL_ENV=$VENV; else VIRTUAL_ENV="$ROOT/$VENV"; fi
    export VIRTUAL_ENV PATH="$VIRTUAL_ENV/bin:$PATH"
}

# The static checks: lint, formatting, types and the layering contracts (all run, then report).
static_checks() {
    local rc=0
    phase ruff ruff check . || rc=1
    phase ruff-format ruff format --check . || rc=1
    phase mypy mypy || rc=1
    # The modules with Windows branches: the print path, the fonts folders, the hall's settings file.
    phase mypy-windows mypy --platform win32 printing/printer.py printing/fonts.py \
        medins_desk/settings.py || rc=1
    phase lint-imports lint-imports || rc=1
    return "$rc"
}

cmd_test() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    phase translations cmd_translations
    phase song-font cmd_song_font
    use_venv
    # A failed static check or test fails the run, but everything still runs so that all
    # results show.
    local static_rc=0 rc=0
    static_checks || static_rc=$?
    pytest "$@" || rc=$?
    if [[ $# == 0 ]]; then
        # The whole suite (CI's): then the package, built and used in a clean Debian root.
        set +e
        (set -e; cmd_package; cmd_package_test)
        local package_rc=$?
        set -e
        if [[ $package_rc != 0 ]]; then
            log "the package or its test failed (see package / package-test above)"
            rc=$(( rc != 0 ? rc : package_rc ))
        fi
    fi
    if [[ $static_rc != 0 ]]; then
        log "static checks failed (see ruff / mypy / lint-imports above)"
    fi
    exit $(( rc != 0 ? rc : static_rc ))
}

cmd_run() {
    phase system-run cmd_system_run
    phase venv cmd_venv
    phase translations cmd_translations
    phase song-font cmd_song_font
    use_venv
    medins-desk db upgrade
    medins-desk demo seed --persons 2000 --if-empty
    # The card reader service (with the virtual reader for the demo cards), when not running.
    if command -v pcscd >/dev/null && ! pgrep -x pcscd >/dev/null && [[ $(id -u) == 0 ]]; then
        pcscd || log "pcscd did not start: the app runs without a card reader"
    fi
    exec medins-desk "$@"
}

# The frozen bundle: PyInstaller from installer/medins-desk.spec into dist/medins-desk, checked
# by running it (its version is the package metadata's) and measured.
cmd_bundle() {
    rm -rf dist/medins-desk
    "$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath dist \
        --workpath build/pyinstaller installer/medins-desk.spec
    local want got
    want=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("medins-desk"))')
    got=$(dist/medins-desk/medins-desk --version)
    [[ $got == "medins-desk $want" ]] || die "the bundle says '$got', the metadata $want"
    log "bundle dist/medins-desk: $(du -sh dist/medins-desk | cut -f1)," \
        "$(find dist/medins-desk -type f | wc -l) files ($got)"
}

# The .deb of this machine's architecture from the bundle (installer/deb/build.sh), then lintian:
# any tag (informational ones too) not overridden in installer/deb/lintian-overrides, with its
# reason, fails the build.
cmd_deb() {
    rm -f dist/medins-desk_*.deb dist/medins-desk_*.depends
    local deb
    deb=$(bash installer/deb/build.sh dist/medins-desk dist)
    lintian -I --fail-on error,warning,info "$deb" \
        2> >(grep -v 'running with root privileges' >&2)
    log "package $deb: $(du -h "$deb" | cut -f1), installed $(dpkg-deb -f "$deb" Installed-Size) KiB"
}

cmd_package() {
    phase system-package ensure_apt RUN_APT_ PACKAGE_APT_DEB
    phase venv cmd_venv
    phase package-venv cmd_package_venv
    phase translations cmd_translations
    phase song-font cmd_song_font
    phase bundle cmd_bundle
    phase deb cmd_deb
}

# The package test's clean root: Debian 12 with apt and nothing else (mmdebstrap --variant=apt,
# about 75 s), kept in PACKAGE_CACHE and made again when a month old; each run unpacks a copy.
# apt's downloads in that root are kept there too. MEDINS_DEBIAN_MIRROR picks another mirror.
PACKAGE_CACHE=${MEDINS_PACKAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/medins-desk}
package_root_tarball() { echo "$PACKAGE_CACHE/bookworm-apt-$(dpkg --print-architecture).tar.zst"; }
cmd_package_root() {
    local tarball mirror=${MEDINS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    tarball=$(package_root_tarball)
    if [[ -f $tarball && -z $(find "$tarball" -mtime +30) ]]; then
        return 0
    fi
    mkdir -p "$PACKAGE_CACHE"
    log "making the clean Debian 12 root $tarball"
    mmdebstrap --quiet --variant=apt --mode=root bookworm "${tarball%.tar.zst}.new.tar.zst" \
        "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
        "deb ${MEDINS_DEBIAN_SECURITY:-http://deb.debian.org/debian-security} bookworm-security main"
    mv "${tarball%.tar.zst}.new.tar.zst" "$tarball"
}

# The .deb of dist/ installed into a copy of that root and used there as a clerk would
# (tests/package; ARGS go to pytest). make package first.
cmd_package_test() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    local deb
    deb=$(ls -t dist/medins-desk_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n1)
    [[ -n $deb ]] || die "no dist/medins-desk_*.deb: run installer/dev-setup.sh package first"
    phase package-root cmd_package_root
    use_venv
    MEDINS_PACKAGE_DEB="$ROOT/$deb" MEDINS_PACKAGE_ROOT=$(package_root_tarball) \
        MEDINS_PACKAGE_APT_CACHE="$PACKAGE_CACHE/apt-archives" pytest tests/package "$@"
}

cmd_bench() {
    phase venv cmd_venv
    use_venv
    exec "$VENV/bin/python" tests/bench/run.py "$@"
}

# The card benchmarks need pcscd with the vpcd reader: started here unless one runs.
with_pcscd() {
    local pid="" rc=0
    if ! pgrep -x pcscd >/dev/null; then
        pcscd -f >/dev/null 2>&1 &
        pid=$!
        sleep 1  # pcscd has no readiness signal; the benchmarks retry their vpcd connection too
    fi
    "$@" || rc=$?
    if [[ -n $pid ]]; then kill "$pid"; fi
    return "$rc"
}

cmd_bench_gui() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    phase translations cmd_translations
    use_venv
    with_pcscd "$VENV/bin/python" tests/bench/gui.py "$@"
}

# The start-up figures of the frozen program installed from dist/'s .deb (make package first):
# apt installs it on this machine (root), bench-gui launches /usr/bin/medins-desk beside the bare
# PySide6 window, and the package is purged again unless it was installed before.
cmd_bench_package() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    [[ $(id -u) == 0 ]] || die "bench-package installs the .deb: run it as root"
    local deb before="" rc=0
    deb=$(ls -t dist/medins-desk_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n1)
    [[ -n $deb ]] || die "no dist/medins-desk_*.deb: run installer/dev-setup.sh package first"
    if is_installed medins-desk; then before=1; fi
    local -a apt=(apt-get -q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --reinstall "$ROOT/$deb" >/dev/null
    use_venv
    "$VENV/bin/python" tests/bench/gui.py --binary /usr/bin/medins-desk "$@" || rc=$?
    if [[ -z $before ]]; then DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge medins-desk >/dev/null; fi
    return "$rc"
}

# Time to serve: the main window driven from the keyboard per business (tests/bench/serve.py).
cmd_bench_serve() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    phase translations cmd_translations
    use_venv
    with_pcscd "$VENV/bin/python" tests/bench/serve.py "$@"
}

cmd_bench_card() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    use_venv
    with_pcscd "$VENV/bin/python" tests/bench/cardread.py "$@"
}

cmd_bench_vouchers() {
    phase system-run cmd_system_run
    phase venv cmd_venv
    phase song-font cmd_song_font
    use_venv
    exec "$VENV/bin/python" tests/bench/vouchers.py "$@"
}

# The hall's load run: its own PostgreSQL cluster (the server binaries come with system-test).
# ARGS replace the defaults, e.g. bench-hall --counters 4 --minutes 1.
cmd_bench_hall() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    use_venv
    if [[ $# == 0 ]]; then set -- --counters 16 --minutes 2; fi
    exec medins-desk hall loadtest "$@"
}

# Every view as a PNG under tests/artifacts/screens, drawn by a real X server (Xvfb).
cmd_screenshots() {
    phase system-test cmd_system_test
    phase venv cmd_venv
    phase translations cmd_translations
    use_venv
    env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1400x900x24" \
        medins-desk screenshots --out "${1:-tests/artifacts/screens}"
}

cmd_lint() {
    phase venv cmd_venv
    use_venv
    static_checks
}

cmd_clean() {
    find . -path "./${VENV#./}" -prune -o -path ./.git -prune -o \
        -type d \( -name __pycache__ -o -name '*.egg-info' \) -print0 | xargs -0 rm -rf
    rm -rf build dist .pytest_cache .hypothesis .mypy_cache .ruff_cache .import_linter_cache \
        tests/artifacts "$SONG_SUBSET"
}

main() {
    local cmd=${1:-}
    if [[ $# -gt 0 ]]; then shift; fi
    case $cmd in
        system-test) cmd_system_test ;;
        system-run) cmd_system_run ;;
        venv) cmd_venv ;;
        test) cmd_test "$@" ;;
        run) cmd_run "$@" ;;
        package) cmd_package ;;
        package-test) cmd_package_test "$@" ;;
        bench) cmd_bench "$@" ;;
        bench-gui) cmd_bench_gui "$@" ;;
        bench-package) cmd_bench_package "$@" ;;
        bench-card) cmd_bench_card "$@" ;;
        bench-serve) cmd_bench_serve "$@" ;;
        bench-vouchers) cmd_bench_vouchers "$@" ;;
        bench-hall) cmd_bench_hall "$@" ;;
        lint) cmd_lint ;;
        i18n) cmd_i18n ;;
        screenshots) cmd_screenshots "$@" ;;
        clean) cmd_clean ;;
        *) die "usage: $0 {system-test|system-run|venv|test|run|package|package-test|bench|bench-gui|bench-package|bench-card|bench-serve|bench-vouchers|bench-hall|lint|i18n|screenshots|clean} [ARGS...]" ;;
    esac
}

# Sourcing the file (to call one function by hand) defines the functions without running anything.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
