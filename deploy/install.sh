#!/usr/bin/env bash
# Install Earpiece on Raspberry Pi OS Bookworm (64-bit): system packages, a system user in
# the audio and gpio groups, a venv that sees the system's lgpio, the config, the state dir
# and the systemd unit, enabled. Safe to run again (it only does what is missing, and
# updates the code). `--dry-run` prints every action and changes nothing. Every option is
# checked before anything is changed.
#
# Python packages come from deploy/requirements-<arch>.lock (exact versions, sha256 hashes)
# through a wheelhouse kept at /opt/earpiece/wheelhouse: the first run downloads what is
# missing, a rerun installs from it with no network (deploy/lock.sh makes the lock).
#
#   sudo deploy/install.sh [--board pi5|pi4|pi-zero-2w] [--card NAME] [--boot LIST] [--start]
#   deploy/install.sh --dry-run
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/opt/earpiece
APP="$PREFIX/app"
VENV="$PREFIX/venv"
ETC=/etc/earpiece
STATE=/var/lib/earpiece
UNIT_DIR=/etc/systemd/system
SERVICE_USER=earpiece
BOOT_CONFIG=/boot/firmware/config.txt
WHEELHOUSE="$PREFIX/wheelhouse"
DROPIN_DIR="$UNIT_DIR/earpiece.service.d"
ARCH=""
BOOT_NAMES=()

DRY_RUN=0
BOARD=auto
CARD=""
CAPTURE_CARD=""
PLAYBACK_CARD=""
BT_MAC=""
BOOT=""
START=0
HOME_SIDE=0
PRINT_ASOUND=0
PRINT_DROPIN=""

usage() {
    cat <<'EOF'
Usage: deploy/install.sh [options]
  --dry-run          print every action, change nothing (needs no root)
  --board NAME       pi5, pi4 or pi-zero-2w (default: detected from /proc/device-tree/model)
  --card NAME        ALSA card for /etc/asound.conf (`aplay -l`; googlevoicehat: sndrpigooglevoi)
  --capture-card NAME   the microphone's card when it is not the earpiece's (an I2S mic)
  --playback-card NAME  the earpiece's card when it is not the microphone's (a USB earpiece)
  --bluetooth MAC    a paired Bluetooth earpiece (HFP, bluez-alsa) for playback, and for
                     capture unless --card/--capture-card names a microphone (docs/bluetooth.md)
  --boot LIST        append boot snippets to config.txt, comma-separated:
                     i2s-audio, i2s-mic-only, shutdown-button, shutdown-button-gpio26, rtc
                     (firmware_config/boot/; rtc with shutdown-button-gpio26, not shutdown-button)
  --print-asound     print the /etc/asound.conf these options make, and stop (no root)
  --print-sync-dropin FILE  print the earpiece.service.d/sync.conf FILE's [sync] makes, stop
  --start            start (or restart) the service after installing
  --home             also install earpiece-home.service (on the home server, not the Pi)
  -h, --help         this text
EOF
}

say() { printf 'earpiece-install: %s\n' "$*"; }
die() { printf 'earpiece-install: error: %s\n' "$*" >&2; exit 1; }

# Every change goes through run: printed always, executed unless --dry-run.
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    if [ "$DRY_RUN" = 0 ]; then
        "$@"
    fi
}

# Write stdin to a file (mode $2) when its content differs; printed like run.
write_file() {
    local dest="$1" mode="$2" tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
        say "$dest is up to date"
        rm -f "$tmp"
        return 0
    fi
    printf '+ install -m %s <%s> %s\n' "$mode" "generated" "$dest"
    if [ "$DRY_RUN" = 0 ]; then
        install -m "$mode" "$tmp" "$dest"
    fi
    rm -f "$tmp"
}

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --dry-run) DRY_RUN=1 ;;
            --board) BOARD="${2:?--board needs a name}"; shift ;;
            --card) CARD="${2:?--card needs a name}"; shift ;;
            --capture-card) CAPTURE_CARD="${2:?--capture-card needs a name}"; shift ;;
            --playback-card) PLAYBACK_CARD="${2:?--playback-card needs a name}"; shift ;;
            --bluetooth) BT_MAC="${2:?--bluetooth needs an address}"; shift ;;
            --boot) BOOT="${2:?--boot needs a list}"; shift ;;
            --start) START=1 ;;
            --print-asound) PRINT_ASOUND=1 ;;
            --print-sync-dropin) PRINT_DROPIN="${2:?--print-sync-dropin needs a config file}"; shift ;;
            --home) HOME_SIDE=1 ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option: $1" ;;
        esac
        shift
    done
}

# Every option checked before any side effect: a typo costs nothing.
validate_args() {
    local name seen=" "
    if [ "$BOARD" != auto ] && [ ! -f "$SRC/firmware_config/boards/$BOARD.toml" ]; then
        die "unknown board '$BOARD' (one of: pi5, pi4, pi-zero-2w)"
    fi
    for name in "$CARD" "$CAPTURE_CARD" "$PLAYBACK_CARD"; do
        case "$name" in *[!A-Za-z0-9_-]*) die "--card '$name': letters, digits, - and _ only (the name in \`aplay -l\`)" ;; esac
    done
    if [ -n "$BT_MAC" ] && ! [[ "$BT_MAC" =~ ^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$ ]]; then
        die "--bluetooth '$BT_MAC': give the earpiece's address, like 00:11:22:33:44:55 (\`bluetoothctl devices\`)"
    fi
    if [ -n "$BOOT" ]; then
        IFS=',' read -r -a BOOT_NAMES <<<"$BOOT"
        for name in "${BOOT_NAMES[@]}"; do
            [ -f "$SRC/firmware_config/boot/$name.txt" ] ||
                die "--boot: no snippet $name (one of: i2s-audio, i2s-mic-only, rtc, shutdown-button, shutdown-button-gpio26; firmware_config/boot/)"
            seen="$seen$name "
        done
        if [[ "$seen" == *" i2s-audio "* && "$seen" == *" i2s-mic-only "* ]]; then
            die "--boot: i2s-audio and i2s-mic-only are two ways to set up the same I2S pins: pick one"
        fi
        if [[ "$seen" == *" rtc "* && "$seen" == *" shutdown-button "* ]]; then
            die "--boot: rtc and shutdown-button both use GPIO3 (the RTC's I2C clock is the wake pin): use --boot rtc,shutdown-button-gpio26 (the button on GPIO26, pin 37; firmware_config/WIRING.md)"
        fi
    fi
}

check_system() {
    local codename
    # The userland's architecture, not the kernel's: a 32-bit Raspberry Pi OS runs a 64-bit
    # kernel on a Pi 4/5, and `uname -m` says aarch64 there.
    ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
    case "$ARCH" in
        armhf | armel | armv6l | armv7l)
            die "32-bit Raspberry Pi OS ($ARCH userland) is not supported (onnxruntime has no wheel for it): install the 64-bit Raspberry Pi OS Lite (Bookworm)" ;;
        arm64 | aarch64) ARCH=arm64 ;;
        amd64 | x86_64) ARCH=amd64 ;;
        *) say "warning: untested architecture $ARCH" ;;
    esac
    # shellcheck source=/dev/null
    codename="$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-unknown}")"
    if [ "$codename" != bookworm ]; then
        say "warning: made for Debian/Raspberry Pi OS bookworm, this is '$codename'"
    fi
    if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
        die "run as root (sudo $0 $*), or with --dry-run to see what it would do"
    fi
    [ -f "$SRC/pyproject.toml" ] || die "$SRC is not an Earpiece checkout (no pyproject.toml)"
}

detect_board() {
    local model=""
    if [ "$BOARD" != auto ]; then
        return 0
    fi
    if [ -r /proc/device-tree/model ]; then
        model="$(tr -d '\0' </proc/device-tree/model)"
    fi
    case "$model" in
        *"Raspberry Pi 5"*) BOARD=pi5 ;;
        *"Raspberry Pi 4"*) BOARD=pi4 ;;
        *"Raspberry Pi Zero 2"*) BOARD=pi-zero-2w ;;
        *"Raspberry Pi"*) BOARD=pi4; say "warning: $model is untested; using the pi4 profile" ;;
        *) BOARD=none; say "not a Raspberry Pi: installing with the default config" ;;
    esac
    say "board: $BOARD"
}

install_packages() {
    local list="$SRC/deploy/system-packages.txt" pkgs=() pkg status missing=()
    # The list `make` uses, plus what the device needs to run as a service.
    while read -r pkg rest; do
        case "$pkg" in '' | '#'*) continue ;; esac
        case "$rest" in *'# dev'*) continue ;; esac  # test tools, not for the device
        pkgs+=("$pkg")
    done <"$list"
    pkgs+=(python3 python3-venv python3-pip alsa-utils libsndfile1 rsync)
    if [ "$BOARD" != none ]; then
        pkgs+=(python3-lgpio)  # gpiozero's pin factory on Bookworm (the only one on a Pi 5)
    fi
    if [ -n "$BT_MAC" ]; then
        pkgs+=(bluez bluez-alsa-utils libasound2-plugin-bluez)  # docs/bluetooth.md
    fi
    for pkg in "${pkgs[@]}"; do
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        case "$status" in *"install ok installed"*) ;; *) missing+=("$pkg") ;; esac
    done
    if [ "${#missing[@]}" = 0 ]; then
        say "system packages: all present"
        return 0
    fi
    run apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

create_user() {
    local group
    if id -u "$SERVICE_USER" >/dev/null 2>&1; then
        say "user $SERVICE_USER exists"
    else
        run useradd --system --user-group --home-dir "$STATE" --no-create-home \
            --shell /usr/sbin/nologin --comment "Earpiece companion" "$SERVICE_USER"
    fi
    for group in audio gpio; do
        if ! getent group "$group" >/dev/null; then
            say "warning: no '$group' group on this system (fine off a Raspberry Pi)"
        elif id -nG "$SERVICE_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
            say "$SERVICE_USER is in $group"
        else
            run usermod -a -G "$group" "$SERVICE_USER"
        fi
    done
}

make_dirs() {
    run install -d -m 0755 "$PREFIX" "$APP" "$ETC"
    run install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE"
}

install_code() {
    # The checkout's files the device needs, copied (not linked) so the checkout can go;
    # rsync --delete: a file gone from the checkout is gone from the device too.
    local part lock="$SRC/deploy/requirements-$ARCH.lock" pip
    for part in device models firmware_config docs; do
        if [ -d "$SRC/$part" ]; then
            run rsync -a --delete --exclude __pycache__ --exclude '*.pyc' "$SRC/$part/" "$APP/$part/"
        fi
    done
    run install -m 0644 "$SRC/pyproject.toml" "$SRC/README.md" "$APP/"
    if [ -x "$VENV/bin/python" ]; then
        say "venv $VENV exists"
    else
        # --system-site-packages: the venv sees Debian's python3-lgpio (not on PyPI for arm64).
        run python3 -m venv --system-site-packages "$VENV"
    fi
    pip=("$VENV/bin/pip" --disable-pip-version-check --quiet)
    if [ ! -f "$lock" ]; then
        say "warning: no $lock: installing unpinned from PyPI (run deploy/lock.sh to pin)"
        run "${pip[@]}" install "$APP"
        return 0
    fi
    # Exact versions with hashes, from the wheelhouse; only what it lacks is downloaded.
    run install -d -m 0755 "$WHEELHOUSE"
    if [ "$DRY_RUN" = 1 ] || ! "${pip[@]}" install --no-index --find-links "$WHEELHOUSE" \
            --require-hashes --prefer-binary -r "$lock" >/dev/null 2>&1; then
        run "${pip[@]}" download --require-hashes --prefer-binary -r "$lock" -d "$WHEELHOUSE"
        run "${pip[@]}" install --no-index --find-links "$WHEELHOUSE" --require-hashes \
            --prefer-binary -r "$lock"
    else
        say "Python packages: as locked, from $WHEELHOUSE"
    fi
    # Earpiece itself: no dependencies resolved, no index, no build isolation (offline).
    run "${pip[@]}" install --no-index --no-deps --no-build-isolation --force-reinstall "$APP"
}

# /etc/asound.conf from firmware_config/: the cards, and the Bluetooth earpiece if any.
asound_conf() {
    local card="${CARD:-sndrpigooglevoi}" bt_play='1,0' bt_cap='1,0'
    # sed addresses: '1,0' is line 1 alone (a comment: no change); '' is every line
    if [ -n "$BT_MAC" ]; then
        [ -n "$PLAYBACK_CARD" ] || bt_play=''
        [ -n "$CAPTURE_CARD$CARD" ] || bt_cap=''
    fi
    {
        sed -e "s/EARPIECE_CAPTURE_CARD/${CAPTURE_CARD:-$card}/g" \
            -e "s/EARPIECE_PLAYBACK_CARD/${PLAYBACK_CARD:-$card}/g" \
            -e "${bt_play}s/playback.pcm \"earpiece_out\"/playback.pcm \"earpiece_bt\"/" \
            -e "${bt_cap}s/capture.pcm \"earpiece_in\"/capture.pcm \"earpiece_bt\"/" \
            "$SRC/firmware_config/asound.conf"
        if [ -n "$BT_MAC" ]; then
            printf '\n'
            sed "s/EARPIECE_BT_MAC/$BT_MAC/g" "$SRC/firmware_config/asound-bluetooth.conf"
        fi
    }
}

install_config() {
    local profile="$SRC/firmware_config/boards/$BOARD.toml"
    if [ -f "$ETC/earpiece.toml" ]; then
        say "$ETC/earpiece.toml exists: kept as it is"
    elif [ -f "$profile" ]; then
        run install -m 0644 "$profile" "$ETC/earpiece.toml"
    else
        printf '[state]\ndir = "%s"\n' "$STATE" | write_file "$ETC/earpiece.toml" 0644
    fi
    if [ "$BOARD" = none ] && [ -z "$CARD$CAPTURE_CARD$PLAYBACK_CARD$BT_MAC" ]; then
        return 0
    fi
    if [ -f /etc/asound.conf ] && ! grep -q 'earpiece_dsnoop' /etc/asound.conf; then
        say "/etc/asound.conf exists and is not Earpiece's: kept (see firmware_config/asound.conf)"
        return 0
    fi
    asound_conf | write_file /etc/asound.conf 0644
}

apply_boot_snippets() {
    local name snippet marker
    [ -n "$BOOT" ] || return 0
    for name in "${BOOT_NAMES[@]}"; do
        snippet="$SRC/firmware_config/boot/$name.txt"
        marker="# earpiece: $name"
        if [ -f "$BOOT_CONFIG" ] && grep -qxF "$marker" "$BOOT_CONFIG"; then
            say "$BOOT_CONFIG already has $name"
            continue
        fi
        printf '+ append %s to %s\n' "$snippet" "$BOOT_CONFIG"
        if [ "$DRY_RUN" = 0 ]; then
            { printf '\n%s\n' "$marker"; cat "$snippet"; } >>"$BOOT_CONFIG"
        fi
        say "reboot for $name to take effect"
    done
}

# The unit denies all IP (IPAddressDeny=any). With [sync] configured, a drop-in allows the
# home broker: its address when the config names one, else (a host name needs DNS) the
# broker's addresses now and the resolvers in /etc/resolv.conf; rerun after they change.
sync_dropin_text() {
    local config="$1" host allow=() addr key
    host="$(python3 - "$config" 2>/dev/null <<'PY'
import sys, tomllib
from urllib.parse import urlsplit
try:
    with open(sys.argv[1], "rb") as f:
        sync = tomllib.load(f).get("sync")
except OSError:
    sync = None
if sync and sync.get("broker"):
    print(urlsplit(sync["broker"]).hostname or "")
PY
)" || host=""
    if [ -z "$host" ]; then
        printf '# No [sync] in %s: the unit allows no IP traffic but loopback.\n[Service]\n' \
            "$config"
        return 0
    fi
    if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then
        allow=("$host")
    else
        while read -r addr _; do allow+=("$addr"); done < <(getent ahosts "$host" | sort -u)
        while read -r key addr _; do
            [ "$key" = nameserver ] && allow+=("$addr")
        done </etc/resolv.conf
        [ "${#allow[@]}" -gt 0 ] || say "warning: cannot resolve the broker $host now; sync stays blocked until this is rerun"
    fi
    printf '# [sync] broker %s: only these addresses (deploy/install.sh; rerun when they change).\n[Service]\nIPAddressAllow=%s\n' \
        "$host" "$(printf '%s\n' "${allow[@]}" | sort -u | paste -sd' ' -)"
}

sync_dropin() {
    run install -d -m 0755 "$DROPIN_DIR"
    sync_dropin_text "$ETC/earpiece.toml" | write_file "$DROPIN_DIR/sync.conf" 0644
}

# bluez-alsa with the Hands-Free profile (the earpiece's microphone and speaker), and a timer
# that reconnects the trusted earpiece when it comes back in range (docs/bluetooth.md).
bluetooth_units() {
    run install -d -m 0755 "$UNIT_DIR/bluealsa.service.d"
    printf '%s\n' '# deploy/install.sh --bluetooth: HFP/HSP audio gateway (mic + speaker), A2DP too.' \
        '[Service]' 'ExecStart=' 'ExecStart=/usr/bin/bluealsa -S -p hfp-ag -p hsp-ag -p a2dp-source' |
        write_file "$UNIT_DIR/bluealsa.service.d/earpiece.conf" 0644
    write_file "$UNIT_DIR/earpiece-bt-connect@.service" 0644 \
        <"$SRC/deploy/systemd/earpiece-bt-connect@.service"
    write_file "$UNIT_DIR/earpiece-bt-connect@.timer" 0644 \
        <"$SRC/deploy/systemd/earpiece-bt-connect@.timer"
    run systemctl enable bluetooth.service bluealsa.service "earpiece-bt-connect@$BT_MAC.timer"
}

install_units() {
    write_file "$UNIT_DIR/earpiece.service" 0644 <"$SRC/deploy/systemd/earpiece.service"
    write_file "$UNIT_DIR/earpiece-failed.service" 0644 <"$SRC/deploy/systemd/earpiece-failed.service"
    sync_dropin
    run install -d -m 0755 /etc/systemd/journald.conf.d
    write_file /etc/systemd/journald.conf.d/earpiece.conf 0644 \
        <"$SRC/deploy/systemd/journald-earpiece.conf"
    if [ "$HOME_SIDE" = 1 ]; then
        write_file "$UNIT_DIR/earpiece-home.service" 0644 \
            <"$SRC/deploy/systemd/earpiece-home.service"
    fi
    if [ -n "$BT_MAC" ]; then
        bluetooth_units
    fi
    run systemctl daemon-reload
    run systemctl enable earpiece.service
    if [ "$HOME_SIDE" = 1 ]; then
        run systemctl enable earpiece-home.service
    fi
    if [ "$START" = 1 ]; then
        run systemctl restart earpiece.service
    fi
}

main() {
    parse_args "$@"
    validate_args
    if [ "$PRINT_ASOUND" = 1 ]; then
        asound_conf
        return 0
    fi
    if [ -n "$PRINT_DROPIN" ]; then
        sync_dropin_text "$PRINT_DROPIN"
        return 0
    fi
    if [ "$DRY_RUN" = 1 ]; then
        say "dry run: printing every action, changing nothing"
    fi
    check_system "$@"
    detect_board
    install_packages
    create_user
    make_dirs
    install_code
    install_config
    apply_boot_snippets
    install_units
    say "done. Check it with: sudo -u $SERVICE_USER EARPIECE_CONFIG=$ETC/earpiece.toml $VENV/bin/earpiece doctor"
    say "logs: journalctl -u earpiece -f"
}

main "$@"
