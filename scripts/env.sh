#!/usr/bin/env bash
# The local Kubernetes environment in the background: `env.sh up`, `env.sh down`, `env.sh demo`.
# up and down are idempotent. Everything lives in .demo/ (kubeconfig, logs, member data).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/versions.env"
cache=${ETCD_PLATFORM_CACHE:-$HOME/.cache/etcd-platform}
dir=$root/.demo/env
pidfile=$root/.demo/environment.pid
kubectl="$cache/kubernetes-$KUBERNETES_VERSION/kubectl --kubeconfig=$dir/kubeconfig"
helm="$cache/helm-$HELM_VERSION/helm"

alive() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
say() { printf '==> %s\n' "$*"; }

up() {
  if alive; then say "environment already up (pid $(cat "$pidfile"))"; return; fi
  rm -rf "$dir" && mkdir -p "$dir"   # a fresh environment: no member data of an earlier one
  say "building the operator and the environment"
  (cd "$root" && ./mvnw -B -q -DskipTests install && ./mvnw -B -q -pl e2e dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
  say "starting kube-apiserver, kube-controller-manager and the node agent (logs in $dir)"
  nohup java -Detcd-platform.root="$root" -Detcd-platform.cache="$cache" \
    -cp "$root/e2e/target/classes:$(cat "$root/e2e/target/classpath.txt")" \
    io.etcdplatform.e2e.EnvironmentServer "$dir" > "$root/.demo/environment.log" 2>&1 &
  echo $! > "$pidfile"
  local started=
  for _ in $(seq 1 180); do
    [[ -f $dir/ready ]] && { started=1; break; }
    alive || { cat "$root/.demo/environment.log" >&2; echo "the environment failed to start" >&2; exit 1; }
    sleep 1
  done
  [[ -n $started ]] || { echo "the environment did not start within 180s (see $root/.demo/environment.log)" >&2; down; exit 1; }
  say "helm install etcd-operator charts/etcd-operator (the node agent runs the operator's pod from the built jar)"
  HELM_CACHE_HOME=$dir/helm/cache HELM_CONFIG_HOME=$dir/helm/config HELM_DATA_HOME=$dir/helm/data \
    "$helm" --kubeconfig="$dir/kubeconfig" install etcd-operator "$root/charts/etcd-operator" \
    --namespace etcd-operator --create-namespace --set logging.format=text --wait --timeout 3m ||
    { echo "the operator did not start (logs in $dir/node/pods/etcd-operator_*/operator.log)" >&2; down; exit 1; }
  say "environment up: export KUBECONFIG=$dir/kubeconfig"
}

down() {
  if ! alive; then rm -f "$pidfile"; say "environment is down"; return; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$pidfile" "$dir/ready"
  say "environment is down"
}

demo() {
  up
  say "kubectl apply -f examples/etcd-cluster.yaml"
  $kubectl apply -f "$root/examples/etcd-cluster.yaml"
  say "waiting until the 3 members are Running"
  $kubectl wait --for=jsonpath='{.status.phase}'=Running --timeout=300s etcdcluster/example
  # the client Service reaches members once their pods are Ready (readiness probe every 5 s)
  $kubectl wait --for=condition=Ready --timeout=120s pod -l app.kubernetes.io/instance=example
  say "writing and reading a key through the client Service name example-client.default.svc"
  local etcdctl="$cache/etcd-$ETCD_36_VERSION/etcdctl"
  # etcdctl resolves names through /etc/hosts: give it the cluster's (and a loopback-only
  # resolv.conf, so a missing name never becomes a DNS query off the machine) in its own mount namespace
  # A Service's name follows its pods' readiness a moment later (as Endpoints do in any cluster):
  # the first write is retried for up to 30 s.
  unshare --mount --propagation private sh -c "mount --bind '$dir/node/hosts' /etc/hosts && \
    mount --bind '$dir/node/resolv.conf' /etc/resolv.conf && \
    for attempt in \$(seq 1 30); do \
      '$etcdctl' --endpoints=http://example-client.default.svc:2379 --dial-timeout=2s \
        put demo-key 'hello from etcd-platform' 2>/dev/null && break; \
      [ \$attempt -lt 30 ] || exit 1; sleep 1; \
    done && \
    '$etcdctl' --endpoints=http://example-client.default.svc:2379 get demo-key"
  $kubectl get etcdclusters,pods,pvc -o wide
  $kubectl get deployment,pods -n etcd-operator
  say "operator logs: $(ls "$dir"/node/pods/etcd-operator_*/operator.log)"
  local operator_ip
  operator_ip=$($kubectl get pods -n etcd-operator -l app.kubernetes.io/instance=etcd-operator \
    -o jsonpath='{.items[0].status.podIP}')
  say "metrics: curl -s http://$operator_ip:8080/metrics | grep etcdplatform_cluster   (docs/metrics.md;"
  say "         dashboards/*.json for Grafana, dashboards/alerts.yaml for Prometheus)"
  say "export KUBECONFIG=$dir/kubeconfig   # then: kubectl get ec"
  say "make down                             # stops everything"
}

# The TLS example beside the first: its members speak mutual TLS; etcdctl dials with the operator's
# client certificate, taken from the Secret the operator wrote (an application would have its own).
demo_tls() {
  up
  say "kubectl apply -f examples/etcd-cluster-tls.yaml"
  $kubectl apply -f "$root/examples/etcd-cluster-tls.yaml"
  say "waiting until the 3 members are Running (mutual TLS on both planes)"
  $kubectl wait --for=jsonpath='{.status.phase}'=Running --timeout=300s etcdcluster/secure
  $kubectl wait --for=condition=Ready --timeout=120s pod -l app.kubernetes.io/instance=secure
  local tls=$dir/tls && mkdir -p "$tls" && chmod 700 "$tls"
  for key in ca.crt tls.crt tls.key; do
    $kubectl get secret secure-tls-operator -o "jsonpath={.data.${key//./\\.}}" | base64 -d > "$tls/$key"
  done
  say "writing and reading a key over https://secure-client.default.svc:2379 with a client certificate"
  local etcdctl="$cache/etcd-$ETCD_36_VERSION/etcdctl"
  local certs="--cacert=$tls/ca.crt --cert=$tls/tls.crt --key=$tls/tls.key"
  unshare --mount --propagation private sh -c "mount --bind '$dir/node/hosts' /etc/hosts && \
    mount --bind '$dir/node/resolv.conf' /etc/resolv.conf && \
    for attempt in \$(seq 1 30); do \
      '$etcdctl' --endpoints=https://secure-client.default.svc:2379 $certs --dial-timeout=2s \
        put demo-key 'hello over mutual TLS' 2>/dev/null && break; \
      [ \$attempt -lt 30 ] || exit 1; sleep 1; \
    done && \
    '$etcdctl' --endpoints=https://secure-client.default.svc:2379 $certs get demo-key && \
    echo '==> the same request without a client certificate is refused:' && \
    ! '$etcdctl' --endpoints=https://secure-client.default.svc:2379 --cacert='$tls/ca.crt' --dial-timeout=2s \
        --command-timeout=4s get demo-key"
  $kubectl get etcdclusters,secrets -o wide
  say "export KUBECONFIG=$dir/kubeconfig   # then: kubectl get ec; docs/tls.md explains the Secrets"
  say "make down                             # stops everything"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  demo) demo ;;
  demo-tls) demo_tls ;;
  *) echo "usage: $0 up|down|demo|demo-tls" >&2; exit 2 ;;
esac
