#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (root) to a playbook run on the local lab:
# installs system packages and npm dependencies, builds, boots a 3-host lab, runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
for p in openssh-client debootstrap systemd-container iproute2; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
[ -d node_modules ] || npm ci
npm run build
node bin/tsplay.js lab up --hosts "${TSPLAY_LAB_HOSTS:-3}"
node bin/tsplay.js playbooks/lab-check.yml -i .tsplay/lab/tsplay/inventory.ini "$@"
