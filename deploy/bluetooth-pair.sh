#!/usr/bin/env bash
# Pair, trust and connect a Bluetooth earpiece for Earpiece (docs/bluetooth.md).
# Put the earpiece in pairing mode first (usually: hold its button until the light flashes).
#
#   sudo deploy/bluetooth-pair.sh --scan          list the devices seen in 20 s
#   sudo deploy/bluetooth-pair.sh MAC             pair, trust (so it reconnects), connect
#   deploy/bluetooth-pair.sh --dry-run MAC        print the steps, change nothing
#
# Then: sudo deploy/install.sh --bluetooth MAC (bluez-alsa with HFP, /etc/asound.conf,
# the reconnect timer). Trust is what lets the earpiece reconnect by itself.
set -euo pipefail

DRY_RUN=0
SCAN=0
MAC=""

say() { printf 'earpiece-bluetooth: %s\n' "$*"; }
die() { printf 'earpiece-bluetooth: error: %s\n' "$*" >&2; exit 1; }
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    if [ "$DRY_RUN" = 0 ]; then
        "$@"
    fi
}

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --scan) SCAN=1 ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        -*) die "unknown option: $1" ;;
        *) MAC="$1" ;;
    esac
    shift
done
# Checked before anything is done.
if [ "$SCAN" = 0 ] && ! [[ "$MAC" =~ ^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$ ]]; then
    die "give the earpiece's address, like 00:11:22:33:44:55 (find it with --scan)"
fi
if [ "$DRY_RUN" = 0 ]; then
    command -v bluetoothctl >/dev/null || die "bluetoothctl is missing: sudo apt-get install bluez"
    [ "$(id -u)" = 0 ] || die "run as root (sudo $0 ...), or with --dry-run"
fi

run bluetoothctl power on
if [ "$SCAN" = 1 ]; then
    run bluetoothctl --timeout 20 scan on
    run bluetoothctl devices
    exit 0
fi
say "scanning for $MAC (it must be in pairing mode)"
run bluetoothctl --timeout 20 scan on
run bluetoothctl pair "$MAC"
run bluetoothctl trust "$MAC"
run bluetoothctl connect "$MAC"
say "paired and trusted. Next: sudo deploy/install.sh --bluetooth $MAC --start"
