#!/bin/sh
# Install the Debian packages listed in deploy/system-packages.txt that are missing.
# Quiet and quick when all are present; uses sudo when not root.
set -eu
list="$(dirname "$0")/system-packages.txt"
missing=""
while read -r pkg _; do
    case "$pkg" in '' | '#'*) continue ;; esac
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done <"$list"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "earpiece: please install these packages with your system's package manager:$missing" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "earpiece: need root to install:$missing (run as root or install sudo)" >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "earpiece: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
