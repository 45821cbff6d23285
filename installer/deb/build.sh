#!/usr/bin/env bash
# The .deb of medins-desk from the frozen bundle: installer/deb/build.sh BUNDLE OUTDIR
#
# BUNDLE is PyInstaller's dist/medins-desk (installer/medins-desk.spec); the package is written to
# OUTDIR/medins-desk_<version>_<arch>.deb for the architecture of this machine (dpkg
# --print-architecture): amd64 here, arm64 when the same command runs on an ARM64 Debian.
# installer/dev-setup.sh package runs it, with what its PACKAGE_APT_DEB list installs.
#
# Layout: /opt/medins-desk (the bundle), /usr/bin/medins-desk (a link to its executable), the
# .desktop entry and the hicolor icon, the manual page, /etc/medins-desk/settings.toml (a
# conffile: commented template), the copyright file and lintian's overrides, each explained.
#
# Depends, derived rather than listed by hand:
#   - every shared library the bundle's ELF files need from the system (the spec leaves the
#     system's libraries out of the bundle): dpkg-shlibdeps on all of them, which reads the
#     packages' shlibs/symbols files for the lowest versions;
#   - libraries opened at run time without being linked (pyscard's libpcsclite, what Qt
#     loads) and the fonts the screen is drawn with: installer/deb/runtime-files.sh runs the
#     bundle (its sign-in window on a private Xvfb, `card read`) and lists the system files it
#     used; the packages dpkg -S names for them;
#   - what it runs or talks to rather than loads: pcscd (the card reader service) and
#     cups-client (`lp`, printing/printer.py), EXTRA_DEPENDS below.
# Mesa's drivers (what the machine's graphics pick) and libc's own packages are not named;
# libc6 comes from dpkg-shlibdeps with its version. The list is written beside the package
# (OUTDIR/<name>.depends) and in the build log.
#
# Before dpkg-shlibdeps, the staged copy is cleaned as dh_strip and dh_fixperms would: build
# machine paths out of RUNPATH, ELF files stripped (but the bootloader), libraries not
# executable, no __pycache__.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle=$(cd "${1:?usage: build.sh BUNDLE OUTDIR}" && pwd)
outdir=${2:?usage: build.sh BUNDLE OUTDIR}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# The card reader service and the print client: run or connected to, never linked.
EXTRA_DEPENDS=(pcscd cups-client)
# Of the run-time files' packages: the C library's (versioned by dpkg-shlibdeps already) and
# Mesa's drivers, which the machine's graphics decide (libegl1/libgl1 dispatch to them).
NOT_DEPENDS='libc6|libc-bin|libgcc-s1|libstdc\+\+6|libegl-mesa0|libglx-mesa0|libgl1-mesa-dri|libglapi-mesa'
# Set DEB_MAINTAINER to the hall's or vendor's packaging contact for a release.
MAINTAINER=${DEB_MAINTAINER:-"medins-desk developers <medins-desk@users.noreply.github.com>"}

log() { printf '[deb] %s\n' "$*" >&2; }

version=$("$bundle/medins-desk" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
name="medins-desk_${version}_${arch}"
work=$(mktemp -d "${TMPDIR:-/tmp}/medins-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage="$work/$name"

log "staging $name"
install -d "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/etc/medins-desk" \
    "$stage/usr/share/applications" "$stage/usr/share/icons/hicolor/scalable/apps" \
    "$stage/usr/share/man/man1" "$stage/usr/share/doc/medins-desk" \
    "$stage/usr/share/lintian/overrides"
cp -a "$bundle" "$stage/opt/medins-desk"
# Nothing of a build machine's run: a cache would be left behind by dpkg --remove.
find "$stage/opt" -name __pycache__ -prune -exec rm -rf {} +
mapfile -t elves < <(find "$stage/opt" -type f -exec sh -c \
    'head -c 4 "$1" | grep -q "^.ELF" && echo "$1"' _ {} \; | sort)
exe="$stage/opt/medins-desk/medins-desk"
log "${#elves[@]} ELF files: build paths out of their RUNPATH, stripped as dh_strip does"
for elf in "${elves[@]}"; do
    # A RUNPATH naming the build machine's Python (pyenv's /root/.pyenv/...) is dropped; the
    # wheels' $ORIGIN entries find the libraries they vendor and stay.
    runpath=$(patchelf --print-rpath "$elf")
    kept=$(tr ':' '\n' <<<"$runpath" | grep '^\$ORIGIN' | paste -sd: || true)
    if [[ $runpath != "$kept" ]]; then
        if [[ -n $kept ]]; then patchelf --set-rpath "$kept" "$elf"; else patchelf --remove-rpath "$elf"; fi
    fi
    # The executable is PyInstaller's bootloader with its archive appended: never stripped.
    if [[ $elf != "$exe" ]]; then
        strip --remove-section=.comment --remove-section=.note --strip-unneeded "$elf"
        chmod 644 "$elf"
    fi
done
ln -s /opt/medins-desk/medins-desk "$stage/usr/bin/medins-desk"
install -m 644 "$here/medins-desk.desktop" "$stage/usr/share/applications/"
install -m 644 "$bundle/_internal/resources/icons/medins-desk.svg" \
    "$stage/usr/share/icons/hicolor/scalable/apps/"
install -m 644 "$here/settings.toml" "$stage/etc/medins-desk/"
gzip -9n <"$here/medins-desk.1" >"$stage/usr/share/man/man1/medins-desk.1.gz"
install -m 644 "$here/copyright" "$stage/usr/share/doc/medins-desk/"
install -m 644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/medins-desk"
changelog_date=$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")
printf 'medins-desk (%s) stable; urgency=medium\n\n  * Release %s (the README says what changed).\n\n -- %s  %s\n' \
    "$version" "$version" "$MAINTAINER" "$changelog_date" \
    | gzip -9n >"$stage/usr/share/doc/medins-desk/changelog.gz"
install -m 755 "$here/postrm" "$stage/DEBIAN/postrm"
echo /etc/medins-desk/settings.toml >"$stage/DEBIAN/conffiles"

# --- Depends ------------------------------------------------------------------------------------
log "deriving Depends (dpkg-shlibdeps on the bundle's ELF files)"
mkdir -p "$work/src/debian"
printf 'Source: medins-desk\n\nPackage: medins-desk\nArchitecture: any\n' >"$work/src/debian/control"
# Libraries the bundle carries are found in it (RUNPATH $ORIGIN, or the folders given with -l);
# dpkg-shlibdeps leaves those of the package being built out of Depends.
mapfile -t libdirs < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
shlibdeps=$(cd "$work/src" && dpkg-shlibdeps -O --warnings=0 -e"${elves[@]}" \
    "${libdirs[@]/#/-l}" 2>"$work/shlibdeps.err" | sed -n 's/^shlibs:Depends=//p') || {
    cat "$work/shlibdeps.err" >&2
    exit 1
}

log "deriving what Qt opens at run time (the sign-in window on a private Xvfb)"
# A file's package: on a merged-/usr system dpkg's database may list it with or without /usr.
owner() { dpkg -S "$1" || dpkg -S "${1#/usr}" || dpkg -S "/usr$1" || true; } 2>/dev/null
mapfile -t runtime < <("$here/runtime-files.sh" "$stage/opt/medins-desk/medins-desk" \
    | while read -r file; do owner "$file"; done | cut -d: -f1 | tr ',' '\n' \
    | sed 's/^ *//;/^$/d' | sort -u | grep -Ev "^($NOT_DEPENDS)$" || true)
depends=$(printf '%s\n' "$shlibdeps" | tr ',' '\n' | sed 's/^ *//;/^$/d')
for pkg in "${runtime[@]}" "${EXTRA_DEPENDS[@]}"; do
    # A package dpkg-shlibdeps already named keeps its versioned entry.
    grep -Eq "^${pkg//+/\\+}( |$)" <<<"$depends" || depends+=$'\n'"$pkg"
done
depends=$(sort -u <<<"$depends" | paste -sd, | sed 's/,/, /g')
log "Depends: $depends"

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$MAINTAINER|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$depends|" \
    "$here/control.in" >"$stage/DEBIAN/control"

(cd "$stage" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | sort -z \
    | xargs -0 md5sum >DEBIAN/md5sums)

log "building $outdir/$name.deb"
# xz: what every dpkg reads (the zstd of newer ones is unknown to UOS's and Kylin's).
dpkg-deb --root-owner-group -Zxz --build "$stage" "$outdir/$name.deb" >/dev/null
printf '%s\n' "$depends" >"$outdir/$name.depends"
echo "$outdir/$name.deb"
