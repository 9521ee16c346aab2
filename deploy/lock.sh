#!/usr/bin/env bash
# Write deploy/requirements-<arch>.lock: every Python package the device installs, at an
# exact version, with the sha256 of the wheel for a Raspberry Pi (arm64) or a PC (amd64),
# Python 3.11, glibc 2.36 (Debian/Raspberry Pi OS Bookworm). deploy/install.sh installs
# from it with --require-hashes, through its wheelhouse. Run after changing pyproject.toml's
# dependencies (needs PyPI; `pip download` fetches the wheels to hash them).
#
#   deploy/lock.sh [arm64|amd64 ...]     (default: both)
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIP="${PIP:-$SRC/.venv/bin/pip}"
arches=("$@")
[ "${#arches[@]}" -gt 0 ] || arches=(arm64 amd64)

requirements() {  # the base dependencies of pyproject.toml, and the build backend
    python3 - "$SRC/pyproject.toml" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    project = tomllib.load(f)
for dep in project["project"]["dependencies"]:
    print(dep)
for dep in project["build-system"]["requires"]:
    print(dep)
print("wheel")
PY
}

for arch in "${arches[@]}"; do
    case "$arch" in
        arm64) machine=aarch64 ;;
        amd64) machine=x86_64 ;;
        *) printf 'lock.sh: unknown architecture %s (arm64 or amd64)\n' "$arch" >&2; exit 2 ;;
    esac
    work="$(mktemp -d)"
    requirements >"$work/requirements.in"
    platforms=()  # glibc 2.17 (manylinux2014) to 2.36 (Bookworm): pip does not expand these
    for minor in $(seq 17 36); do platforms+=(--platform "manylinux_2_${minor}_$machine"); done
    # A pure-Python package published only as source (vosk's srt) cannot be downloaded for
    # another platform: its sdist is kept (the device builds it, offline, from the
    # wheelhouse), and a wheel built here lets the resolver go on past it.
    mkdir -p "$work/local" "$work/wheels"
    for _ in 1 2 3 4 5 6; do
        if "$PIP" download --disable-pip-version-check --quiet --only-binary=:all: \
            "${platforms[@]}" --platform "manylinux2014_$machine" --platform "linux_$machine" \
            --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
            --find-links "$work/local" -r "$work/requirements.in" -d "$work/wheels" \
            2>"$work/error"; then
            break
        fi
        missing="$(sed -n 's/.*No matching distribution found for \([A-Za-z0-9_.-]*\).*/\1/p' "$work/error" | head -1)"
        if [ -z "$missing" ] || [ -e "$work/sdist-$missing" ]; then
            cat "$work/error" >&2
            exit 1
        fi
        touch "$work/sdist-$missing"
        "$PIP" download --disable-pip-version-check --quiet --no-deps --no-binary=:all: \
            "$missing" -d "$work/wheels"
        "$PIP" wheel --disable-pip-version-check --quiet --no-deps "$missing" -w "$work/local"
    done
    for marker in "$work"/sdist-*; do  # the wheel built here is not PyPI's: keep the sdist
        [ -e "$marker" ] || continue
        rm -f "$work/wheels/${marker##*/sdist-}"-*.whl
    done
    out="$SRC/deploy/requirements-$arch.lock"
    {
        printf '# Made by deploy/lock.sh for %s (Python 3.11, glibc 2.36) from pyproject.toml.\n' "$arch"
        printf '# deploy/install.sh installs exactly these, with --require-hashes. Do not edit.\n'
        for wheel in "$work"/wheels/*; do
            base="$(basename "$wheel")"
            base="${base%.tar.gz}"
            name="${base%-*}"  # an sdist: name-version.tar.gz
            version="${base##*-}"
            if [[ "$base" == *.whl ]]; then  # name-version-tags.whl
                name="${base%%-*}"
                version="${base#*-}"
                version="${version%%-*}"
            fi
            hash="$(sha256sum "$wheel" | cut -d' ' -f1)"
            printf '%s==%s --hash=sha256:%s\n' "$name" "$version" "$hash"
        done | sort -f | awk '$1 == last { line = line " " $2; next }
            { if (line) print line; line = $0; last = $1 } END { if (line) print line }'

    } >"$out"
    rm -rf "$work"
    printf 'lock.sh: wrote %s (%s packages)\n' "$out" "$(grep -c '^[^ #]' "$out")"
done
