#!/usr/bin/env bash
# Make sure uv is installed and .venv holds exactly the locked dependencies.
#
#   scripts/bootstrap.sh          # from anywhere; works on the repository it belongs to
#
# uv comes from PyPI (python3 -m pip install uv==UV_VERSION) when it is not on PATH. On a
# bare Debian machine, as root, python3-pip is installed first.
set -euo pipefail

UV_VERSION=0.13.9
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '==> %s\n' "$*" >&2; }

apt_install() {
    if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
        say "missing: $*; install it and run again"
        exit 1
    fi
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pip_install_uv() {
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    say "installing uv $UV_VERSION"
    # Debian's own python3 refuses pip installs (PEP 668) unless told it may.
    export PIP_ROOT_USER_ACTION=ignore
    python3 -m pip install --quiet "uv==$UV_VERSION" 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages "uv==$UV_VERSION"
}

# The uv command: on PATH, or as a module of python3 (pip may put the script off PATH).
uv_command() {
    if command -v uv >/dev/null; then
        echo uv
    elif command -v python3 >/dev/null && python3 -m uv --version >/dev/null 2>&1; then
        echo "python3 -m uv"
    else
        return 1
    fi
}

if ! UV=$(uv_command); then
    command -v python3 >/dev/null || apt_install python3 python3-pip
    pip_install_uv
    UV=$(uv_command)
fi

say "uv sync --frozen"
$UV sync --frozen
