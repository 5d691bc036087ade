#!/usr/bin/env bash
# A real Kubernetes control plane on this machine, with node hosts in network namespaces.
#
#   bash scripts/kube-cluster.sh up --dir DIR [--nodes N]     (default 3 nodes)
#   bash scripts/kube-cluster.sh down --dir DIR
#   bash scripts/kube-cluster.sh kill-node --dir DIR NAME
#
# up: builds what is missing (scripts/go-tool.sh: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler from Go modules), then starts etcd (127.0.0.1), kube-apiserver (TLS, client
# certificates, --authorization-mode=Node,RBAC), kube-controller-manager and kube-scheduler. It
# creates N node hosts fluid-node-1..N: each a network namespace with a veth link to a bridge on the
# host, and a fluid-ts node agent inside it (the kubelet's part: Node, Lease, pods, and the kubelet API
# on <node address>:10250 for kubectl logs/exec, admitting the apiserver's kubelet client certificate
# from the cluster CA; the apiserver reaches nodes by InternalIP). It writes
#   DIR/kubeconfig      cluster-admin credentials for kubectl
#   DIR/host-address    the address by which node hosts reach a server on the host (the bridge)
# It installs fluid-ts into the cluster with the Helm chart (charts/fluid-ts, the real helm built by
# scripts/go-tool.sh: release fluid-ts in namespace fluid-system; the controllers and the webhook run
# under the chart's ServiceAccounts) and exits 0 once all N Nodes are Ready and the controller and
# webhook pods are Running.
# down: stops all of it; nothing stays running or mounted, no namespace or link is left.
# kill-node: the loss of a node: its agent and every process in its host are SIGKILLed and its link
# is cut; the Node goes NotReady once the node lifecycle controller sees its Lease stop.
#
# Names are derived from DIR, so two clusters (two DIRs) can run side by side.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: bash scripts/kube-cluster.sh up|down|kill-node --dir DIR [--nodes N] [NAME]" >&2; exit 2; }
cmd="${1:-}"; [ -n "$cmd" ] || usage; shift
DIR="" NODES=3 TARGET=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="${2:-}"; shift 2 ;;
    --nodes) NODES="${2:-}"; shift 2 ;;
    -*) usage ;;
    *) TARGET="$1"; shift ;;
  esac
done
[ -n "$DIR" ] || usage
case "$NODES" in ''|*[!0-9]*) echo "--nodes: expected a number from 1 to 9, got '$NODES'" >&2; exit 2 ;; esac
[ "$NODES" -ge 1 ] && [ "$NODES" -le 9 ] || { echo "--nodes: expected a number from 1 to 9, got $NODES" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "kube-cluster: must run as root (network namespaces, veth links)" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# Names and addresses from DIR: bridge flb<id>, namespaces fluid-<id>-<n>, links flv<id>n<n>,
# subnet 10.<100+a>.<b>.0/24 with the host (bridge) at .1 and node n at .(10+n).
id=$(printf '%s' "$DIR" | sha256sum | cut -c1-6)
BR="flb$id"
net_a=$(( 100 + 0x${id:0:2} % 100 )); net_b=$(( 0x${id:2:2} ))
HOST_IP="10.$net_a.$net_b.1"
ns_of() { echo "fluid-$id-$1"; }
veth_of() { echo "flv${id}n$1"; }
ip_of() { echo "10.$net_a.$net_b.$(( 10 + $1 ))"; }
log() { echo "==> kube-cluster: $*" >&2; }

start_bg() { # name, command...: a detached process with its log and pid under DIR
  local name="$1"; shift
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pids/$name.pid"
}

running() { # name: its recorded process is alive
  local f="$DIR/pids/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ "$pid" -gt 1 ] && kill -0 "$pid" 2>/dev/null
}

stop_pid() { # pidfile: SIGTERM, then SIGKILL after 10 s
  local f="$1" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

kill_netns_procs() { # namespace
  local ns="$1" pids
  [ -e "/run/netns/$ns" ] || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
}

unmount_under() { # lazily unmount everything mounted below a directory, deepest first
  local root="$1"
  awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,process.argv[1],()=>{console.log(s.address().port);s.close()})' "$1"
}

# ------------------------------------------------------------------------------------------ certs
gen_certs() {
  local pki="$DIR/pki"
  mkdir -p "$pki"; chmod 0700 "$pki"
  [ -f "$pki/ca.crt" ] && return 0
  log "certificates in $pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 3650 -subj "/CN=fluid-ts-kube-ca" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  sign "$pki" apiserver "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,IP:$HOST_IP,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" serverAuth
  sign "$pki" admin "/O=system:masters/CN=kubernetes-admin" "" clientAuth
  sign "$pki" apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "" clientAuth
  sign "$pki" controller-manager "/CN=system:kube-controller-manager" "" clientAuth
  sign "$pki" scheduler "/CN=system:kube-scheduler" "" clientAuth
  for n in $(seq 1 9); do sign "$pki" "node-$n" "/O=system:nodes/CN=system:node:fluid-node-$n" "" clientAuth; done
  chmod 0600 "$pki"/*.key
}

sign() { # pki, name, subject, san ("" for none), extendedKeyUsage
  local pki="$1" name="$2" subj="$3" san="$4" eku="$5" ext
  ext=$(mktemp)
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"; echo "extendedKeyUsage=$eku"; [ -z "$san" ] || echo "$san"; } > "$ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -out "$pki/$name.csr" -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out "$pki/$name.crt" -days 3650 -extfile "$ext" 2>/dev/null
  rm -f "$ext" "$pki/$name.csr"
}

kubeconfig() { # file, user cert name, server
  local file="$1" user="$2" server="$3" pki="$DIR/pki"
  ( umask 077
    cat > "$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fluid-ts
  cluster:
    server: $server
    certificate-authority: $pki/ca.crt
users:
- name: $user
  user:
    client-certificate: $pki/$user.crt
    client-key: $pki/$user.key
contexts:
- name: fluid-ts
  context: { cluster: fluid-ts, user: $user }
current-context: fluid-ts
EOF
  )
}

# -------------------------------------------------------------------------------------- network
net_up() {
  if ! ip link show "$BR" >/dev/null 2>&1; then
    ip link add "$BR" type bridge
    ip addr add "$HOST_IP/24" dev "$BR"
  fi
  ip link set "$BR" up
  local n ns veth
  for n in $(seq 1 "$NODES"); do
    ns=$(ns_of "$n"); veth=$(veth_of "$n")
    [ -e "/run/netns/$ns" ] || ip netns add "$ns"
    if ! ip link show "$veth" >/dev/null 2>&1; then
      ip link add "$veth" type veth peer name "${veth}p"
      ip link set "${veth}p" netns "$ns"
      ip -n "$ns" link set "${veth}p" name eth0
      ip -n "$ns" addr add "$(ip_of "$n")/24" dev eth0
    fi
    ip link set "$veth" master "$BR" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  done
  echo "$HOST_IP" > "$DIR/host-address"
}

net_down() {
  local ns n
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^fluid-$id-" || true); do
    kill_netns_procs "$ns"
    ip netns delete "$ns" 2>/dev/null || true
  done
  for n in $(seq 1 9); do ip link delete "$(veth_of "$n")" 2>/dev/null || true; done
  ip link delete "$BR" 2>/dev/null || true
}

# ------------------------------------------------------------------------------------------ up
wait_for() { # what, seconds, command...
  local what="$1" secs="$2"; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then echo "kube-cluster: timed out after ${secs}s waiting for $what" >&2; return 1; fi
    sleep 0.5
  done
}

controller_running() {
  kubectl --kubeconfig "$DIR/kubeconfig" -n fluid-system get pods -l app=fluid-controllers -o jsonpath='{.items[*].status.phase}' | grep -qw Running
}

up() {
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/nodes"
  local etcd apiserver kcm sched helm
  etcd=$(bash "$REPO/scripts/go-tool.sh" etcd)
  apiserver=$(bash "$REPO/scripts/go-tool.sh" kube-apiserver)
  kcm=$(bash "$REPO/scripts/go-tool.sh" kube-controller-manager)
  sched=$(bash "$REPO/scripts/go-tool.sh" kube-scheduler)
  helm=$(bash "$REPO/scripts/go-tool.sh" helm)
  [ -x "$REPO/dist/src/apps/cli/entry.js" ] || [ -f "$REPO/dist/src/apps/cli/entry.js" ] || { echo "kube-cluster: fluid-ts is not built (run: npm run build)" >&2; exit 1; }

  net_up
  gen_certs
  local pki="$DIR/pki" api_port etcd_port peer_port
  if [ -f "$DIR/api-port" ]; then api_port=$(cat "$DIR/api-port"); else api_port=$(free_port "$HOST_IP"); echo "$api_port" > "$DIR/api-port"; fi
  local server="https://$HOST_IP:$api_port"
  kubeconfig "$DIR/kubeconfig" admin "$server"
  kubeconfig "$DIR/controller-manager.kubeconfig" controller-manager "$server"
  kubeconfig "$DIR/scheduler.kubeconfig" scheduler "$server"

  if ! running "etcd"; then
    etcd_port=$(free_port 127.0.0.1); peer_port=$(free_port 127.0.0.1)
    echo "$etcd_port" > "$DIR/etcd-port"
    log "etcd on 127.0.0.1:$etcd_port"
    start_bg etcd "$etcd" --name fluid-etcd --data-dir "$DIR/etcd" \
      --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
      --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
      --initial-cluster "fluid-etcd=http://127.0.0.1:$peer_port" --log-level warn
  fi
  etcd_port=$(cat "$DIR/etcd-port")
  wait_for etcd 60 curl -sf "http://127.0.0.1:$etcd_port/health"

  if ! running "kube-apiserver"; then
    log "kube-apiserver on $server"
    start_bg kube-apiserver "$apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
      --bind-address "$HOST_IP" --advertise-address "$HOST_IP" --secure-port "$api_port" \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
      --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
      --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
      --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
      --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --anonymous-auth=false \
      --service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true --profiling=false --v=1 \
      --enable-aggregator-routing=true --kubelet-preferred-address-types InternalIP,Hostname
  fi
  wait_for "kube-apiserver /readyz" 120 kubectl --kubeconfig "$DIR/kubeconfig" get --raw /readyz

  if ! running "kube-controller-manager"; then
    log "kube-controller-manager"
    start_bg kube-controller-manager "$kcm" --kubeconfig "$DIR/controller-manager.kubeconfig" \
      --authentication-kubeconfig "$DIR/controller-manager.kubeconfig" --authorization-kubeconfig "$DIR/controller-manager.kubeconfig" \
      --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" --use-service-account-credentials=true \
      --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
      --secure-port 0 --leader-elect=false --node-monitor-grace-period 20s --node-monitor-period 2s --profiling=false --v=1
  fi
  if ! running "kube-scheduler"; then
    log "kube-scheduler"
    start_bg kube-scheduler "$sched" --kubeconfig "$DIR/scheduler.kubeconfig" \
      --authentication-kubeconfig "$DIR/scheduler.kubeconfig" --authorization-kubeconfig "$DIR/scheduler.kubeconfig" \
      --secure-port 0 --leader-elect=false --profiling=false --v=1
  fi

  local n name ns
  for n in $(seq 1 "$NODES"); do
    name="fluid-node-$n"; ns=$(ns_of "$n")
    mkdir -p "$DIR/nodes/$name"; chmod 0700 "$DIR/nodes/$name"
    kubeconfig "$DIR/nodes/$name/kubeconfig" "node-$n" "$server"
    if ! running "$name"; then
      log "node host $name ($(ip_of "$n"), namespace $ns)"
      # nsenter enters only the network namespace: the agent shares the host's filesystem and mounts,
      # and maps each pod's volumes under its own node directory (hostPaths under nodes/<node>/root).
      start_bg "$name" nsenter "--net=/run/netns/$ns" node "$REPO/dist/src/apps/cli/entry.js" node-agent \
        --kubeconfig "$DIR/nodes/$name/kubeconfig" --home "$DIR/nodes/$name" --node "$name" --address "$(ip_of "$n")" \
        --host-root "$DIR/nodes/$name/root" --kubelet-port 10250 --client-ca-file "$pki/ca.crt"
    fi
  done

  log "waiting for $NODES Ready nodes"
  for n in $(seq 1 "$NODES"); do
    wait_for "node fluid-node-$n to register" 120 kubectl --kubeconfig "$DIR/kubeconfig" get node "fluid-node-$n"
  done
  kubectl --kubeconfig "$DIR/kubeconfig" wait --for=condition=Ready node --all --timeout=120s >/dev/null
  kubectl --kubeconfig "$DIR/kubeconfig" get nodes -o wide >&2

  log "installing fluid-ts with the Helm chart: release fluid-ts in namespace fluid-system"
  # The CSI DaemonSet is left out: its pods (node-driver-registrar's image beside fluid csi) are not
  # pods the node agent runs. HELM_CACHE_HOME etc. under DIR keep helm's state out of HOME.
  HELM_CONFIG_HOME="$DIR/helm/config" HELM_CACHE_HOME="$DIR/helm/cache" HELM_DATA_HOME="$DIR/helm/data" \
    "$helm" upgrade --install fluid-ts "$REPO/charts/fluid-ts" --kubeconfig "$DIR/kubeconfig" \
    --namespace fluid-system --create-namespace --set csi.enabled=false >&2
  kubectl --kubeconfig "$DIR/kubeconfig" -n fluid-system rollout status deployment/fluid-controllers --timeout=180s >&2
  kubectl --kubeconfig "$DIR/kubeconfig" -n fluid-system rollout status deployment/fluid-webhook --timeout=180s >&2
  wait_for "the controller pod to be Running" 120 controller_running
  kubectl --kubeconfig "$DIR/kubeconfig" -n fluid-system get pods -o wide >&2
  log "up: KUBECONFIG=$DIR/kubeconfig"
}

down() {
  local f n
  for f in "$DIR"/pids/fluid-node-*.pid; do [ -e "$f" ] && stop_pid "$f"; done
  for n in $(seq 1 9); do kill_netns_procs "$(ns_of "$n")"; done
  for f in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$DIR/pids/$f.pid"; done
  unmount_under "$DIR"
  net_down
  log "down: $DIR"
}

kill_node() {
  local name="$TARGET" n
  case "$name" in fluid-node-[1-9]) n=${name#fluid-node-} ;; *) echo "kill-node: expected a node name fluid-node-1..9, got '${name}'" >&2; exit 2 ;; esac
  [ -e "/run/netns/$(ns_of "$n")" ] || { echo "kill-node: $name has no node host in $DIR" >&2; exit 1; }
  if [ -f "$DIR/pids/$name.pid" ]; then kill -KILL "$(cat "$DIR/pids/$name.pid")" 2>/dev/null || true; rm -f "$DIR/pids/$name.pid"; fi
  kill_netns_procs "$(ns_of "$n")"
  ip link set "$(veth_of "$n")" down 2>/dev/null || true
  log "killed $name: its processes are gone and its link is cut"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  kill-node) kill_node ;;
  *) usage ;;
esac
