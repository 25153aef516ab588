#!/usr/bin/env bash
# Installs the system programs Segstream runs against: ClickHouse, Redis and Chromium (for the
# browser tests). Uses apt-get when running as root on Debian/Ubuntu; otherwise prints what to
# install and fails if something is missing.
set -euo pipefail

need=()
command -v clickhouse-server >/dev/null 2>&1 || command -v clickhouse >/dev/null 2>&1 || need+=(clickhouse-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-liberation)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi

echo "missing programs: ${need[*]}" >&2
echo "install them with: sudo apt-get install -y ${need[*]}" >&2
exit 1
