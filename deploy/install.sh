#!/usr/bin/env bash
# Install Earpiece on Raspberry Pi OS Bookworm (64-bit): system packages, a system user in
# the audio and gpio groups, a venv that sees the system's lgpio, the config, the state dir
# and the systemd unit, enabled. Safe to run again (it only does what is missing, and
# updates the code). `--dry-run` prints every action and changes nothing.
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

DRY_RUN=0
BOARD=auto
CARD=""
BOOT=""
START=0
HOME_SIDE=0

usage() {
    cat <<'EOF'
Usage: deploy/install.sh [options]
  --dry-run          print every action, change nothing (needs no root)
  --board NAME       pi5, pi4 or pi-zero-2w (default: detected from /proc/device-tree/model)
  --card NAME        ALSA card for /etc/asound.conf (`aplay -l`; googlevoicehat: sndrpigooglevoi)
  --boot LIST        append boot snippets to config.txt, comma-separated:
                     i2s-audio, i2s-mic-only, shutdown-button, rtc (firmware_config/boot/)
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
            --boot) BOOT="${2:?--boot needs a list}"; shift ;;
            --start) START=1 ;;
            --home) HOME_SIDE=1 ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option: $1" ;;
        esac
        shift
    done
}

check_system() {
    local arch codename
    arch="$(uname -m)"
    case "$arch" in
        armv6l | armv7l)
            die "32-bit Raspberry Pi OS is not supported (onnxruntime has no wheel for $arch): install the 64-bit Raspberry Pi OS Lite (Bookworm)" ;;
        aarch64 | x86_64) ;;
        *) say "warning: untested architecture $arch" ;;
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
        [ -f "$SRC/firmware_config/boards/$BOARD.toml" ] ||
            die "unknown board '$BOARD' (one of: pi5, pi4, pi-zero-2w)"
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
    pkgs+=(python3 python3-venv python3-pip alsa-utils libsndfile1)
    if [ "$BOARD" != none ]; then
        pkgs+=(python3-lgpio)  # gpiozero's pin factory on Bookworm (the only one on a Pi 5)
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
    # The checkout's files the device needs, copied (not linked) so the checkout can go.
    local part
    for part in pyproject.toml README.md device models firmware_config docs; do
        if [ -e "$SRC/$part" ]; then
            run cp -a "$SRC/$part" "$APP/"
        fi
    done
    if [ -x "$VENV/bin/python" ]; then
        say "venv $VENV exists"
    else
        # --system-site-packages: the venv sees Debian's python3-lgpio (not on PyPI for arm64).
        run python3 -m venv --system-site-packages "$VENV"
    fi
    run "$VENV/bin/pip" install --disable-pip-version-check --quiet --upgrade pip
    run "$VENV/bin/pip" install --disable-pip-version-check --quiet "$APP"
}

install_config() {
    local profile="$SRC/firmware_config/boards/$BOARD.toml" card
    if [ -f "$ETC/earpiece.toml" ]; then
        say "$ETC/earpiece.toml exists: kept as it is"
    elif [ -f "$profile" ]; then
        run install -m 0644 "$profile" "$ETC/earpiece.toml"
    else
        printf '[state]\ndir = "%s"\n' "$STATE" | write_file "$ETC/earpiece.toml" 0644
    fi
    if [ "$BOARD" = none ]; then
        return 0
    fi
    if [ -f /etc/asound.conf ] && ! grep -q 'earpiece_dsnoop' /etc/asound.conf; then
        say "/etc/asound.conf exists and is not Earpiece's: kept (see firmware_config/asound.conf)"
        return 0
    fi
    card="${CARD:-sndrpigooglevoi}"
    case "$card" in *[!A-Za-z0-9_-]*) die "--card '$card': letters, digits, - and _ only" ;; esac
    sed "s/EARPIECE_CARD/$card/g" "$SRC/firmware_config/asound.conf" |
        write_file /etc/asound.conf 0644
}

apply_boot_snippets() {
    local name snippet marker
    [ -n "$BOOT" ] || return 0
    [ -f "$BOOT_CONFIG" ] || [ "$DRY_RUN" = 1 ] || die "$BOOT_CONFIG not found (not Raspberry Pi OS Bookworm?)"
    IFS=',' read -r -a names <<<"$BOOT"
    for name in "${names[@]}"; do
        snippet="$SRC/firmware_config/boot/$name.txt"
        [ -f "$snippet" ] || die "--boot: no snippet $name (see firmware_config/boot/)"
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

install_units() {
    write_file "$UNIT_DIR/earpiece.service" 0644 <"$SRC/deploy/systemd/earpiece.service"
    run install -d -m 0755 /etc/systemd/journald.conf.d
    write_file /etc/systemd/journald.conf.d/earpiece.conf 0644 \
        <"$SRC/deploy/systemd/journald-earpiece.conf"
    if [ "$HOME_SIDE" = 1 ]; then
        write_file "$UNIT_DIR/earpiece-home.service" 0644 \
            <"$SRC/deploy/systemd/earpiece-home.service"
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
