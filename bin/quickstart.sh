#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (root) to an air-gapped cluster foundation on the
# local lab: installs what it needs, builds, boots 3 systemd hosts with no route out plus a
# mirror host (file mirror + TLS registry filled from this machine), runs playbooks/cluster.yml
# on them, and prints what runs where. Run it again: it converges (changed=0).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
# the lab (debootstrap, nspawn, netns) and its mirror (CA, pause image); see .ci/run for reasons
need=()
for p in openssh-client debootstrap systemd-container iproute2 openssl skopeo umoci busybox-static curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# TSPLAY_SKIP_BUILD=1: dist/ is already built (the quick start's own test, inside `npm test`)
if [ "${TSPLAY_SKIP_BUILD:-}" != 1 ]; then
  [ -d node_modules ] || npm ci
  npm run build
fi
# another lab name/subnet lets the quick start run beside a lab of the same checkout
name=${TSPLAY_LAB_NAME:-tsplay}
lab=.tsplay/lab/$name
node bin/tsplay.js lab up --name "$name" --subnet "${TSPLAY_LAB_SUBNET:-10.88.0}" --hosts "${TSPLAY_LAB_HOSTS:-3}" --containers --mirror
node bin/tsplay.js playbooks/cluster.yml -i "$lab/inventory.ini" "$@"
node bin/tsplay.js playbooks/lab-summary.yml -i "$lab/inventory.ini" | sed -n '/TASK \[Summary\]/,/PLAY RECAP/p' | grep -v 'PLAY RECAP'
cat <<MSG

Done: containerd on every node pulling only through the lab's mirror registry, a 3-member etcd
over TLS, the Kubernetes PKI (air-gapped: the nodes have no route out).
  a shell on a node:  ssh -i $lab/id_ed25519 -o UserKnownHostsFile=$lab/known_hosts root@<ip above>
  the lab:            node bin/tsplay.js lab status --name $name
  re-run (converges): npm run quickstart
  what would change:  node bin/tsplay.js plan playbooks/cluster.yml -i $lab/inventory.ini
  tear down:          node bin/tsplay.js lab down --name $name
MSG
