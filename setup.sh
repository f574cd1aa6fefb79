#!/usr/bin/env bash
# Installs every Debian 12 package Faxover needs to build, test and run its lab (idempotent), then
# runs the make target named, if any. The README's commands and .ci/run start here, because a
# fresh Debian 12 machine has neither make nor a compiler yet.
#   ./setup.sh          install only
#   ./setup.sh demo     install, build, run the live demo in the lab
#   ./setup.sh test     install, build, run every test
set -euo pipefail
cd "$(dirname "$0")"

if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: run as root (it installs packages and the lab needs namespaces)" >&2
    exit 1
fi

packages=(
    # build
    build-essential make cmake pkg-config git ccache
    # the protocol fuzzer's smoke in make test: Debian's clang and its libFuzzer runtime (a recommends)
    clang libclang-rt-14-dev
    libvirt-dev libyaml-cpp-dev libpoco-dev libboost-dev libboost-filesystem-dev catch2 libsqlite3-dev libcli11-dev
    # the lab: real libvirtd and QEMU hosts in namespaces, a tiny Linux guest
    libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
    linux-image-cloud-amd64 busybox-static cpio gzip iproute2 util-linux procps socat
    # the guest agent's tests: a real HylaFAX server on this machine (make test-faxguest)
    hylafax-server
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
    echo "setup.sh: all ${#packages[@]} packages already installed"
else
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if (($# > 0)); then
    exec make "$@"
fi
