#!/usr/bin/env bash
# Installs the Debian packages hallwatch needs, and only those missing (idempotent).
#   scripts/setup-system.sh runtime   what the product needs to run
#   scripts/setup-system.sh test      what the test suite needs too (real peers: Chromium, ...)
#   scripts/setup-system.sh bench     what `npm run bench` needs too (the Go peers)
# Called by `npm start` and `npm test`; safe to run again at any time.
set -euo pipefail
profile="${1:-runtime}"

runtime_pkgs=(fonts-dejavu-core ffmpeg)
# Real peers the tests talk to. Each later capability adds its own here.
test_pkgs=(chromium snmpd snmp prometheus-snmp-exporter slapd ldap-utils poppler-utils sip-tester prometheus openssl)
# The Go peers the benchmarks compare against (docs/BENCHMARKS.md).
bench_pkgs=(prometheus-snmp-exporter prometheus-blackbox-exporter snmpd)

case "$profile" in
  runtime) want=("${runtime_pkgs[@]}") ;;
  test) want=("${runtime_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) want=("${runtime_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 runtime|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing Debian packages: ${missing[*]} (no apt-get here: install them by hand)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup-system: missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "setup-system: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
