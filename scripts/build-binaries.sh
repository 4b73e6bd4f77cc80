#!/usr/bin/env bash
# Builds, from the Go module proxy, the Kubernetes and etcd binaries the tests and the demo use,
# into $ETCD_PLATFORM_CACHE (default ~/.cache/etcd-platform). What is already built is skipped.
#   kubernetes-<v>/{kube-apiserver,kube-controller-manager,kubectl}
#   etcd-<v>/{etcd,etcdctl,etcdutl}        (one per pinned etcd release)
#   etcd-failpoints-<v>/etcd                (etcd 3.6 with gofail failpoints, for fault injection)
#   helm-<v>/helm
#   prometheus-operator-crds-<v>/*.yaml     (generated, see versions.env)
#   minio-<v>/minio                          (the backup tests' S3 server)
#   cert-manager-<v>/{cert-manager-controller,crds/*.yaml}  (the CertManager TLS source's e2e test)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
cache=${ETCD_PLATFORM_CACHE:-$HOME/.cache/etcd-platform}
mkdir -p "$cache"
export GOFLAGS=-mod=mod CGO_ENABLED=0

log() { printf '[build-binaries] %s\n' "$*" >&2; }

build_kubernetes() {
  local v=$1 out=$cache/kubernetes-$1
  if [[ -x $out/kube-apiserver && -x $out/kube-controller-manager && -x $out/kubectl ]]; then
    log "kubernetes $v: cached in $out"; return
  fi
  local minor=${v#v1.}; minor=${minor%%.*}
  local staging=v0.${v#v1.}
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "kubernetes $v: resolving modules (staging modules at $staging)"
  local upstream_mod
  upstream_mod=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module local/kubebuild"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$upstream_mod"
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "replace ("
    # Every staging module k8s.io/kubernetes replaces with ./staging/... is published as v0.X.Y.
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging"'#p' "$upstream_mod"
    echo ")"
  } > "$work/go.mod"
  cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  # tidy (which sees the tools-tagged file) pins every dependency at what k8s.io/kubernetes $v requires.
  (cd "$work" && go mod tidy)
  local ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.gitCommit=go-module-proxy"
  done
  mkdir -p "$out.tmp"
  for cmd in kube-apiserver kube-controller-manager kubectl; do
    log "kubernetes $v: building $cmd (several minutes on 2 cores)"
    (cd "$work" && go build -trimpath -tags tools -ldflags "$ld" -o "$out.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  done
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "kubernetes $v: $("$out/kube-apiserver" --version)"
}

build_etcd() {
  local v=$1 out=$cache/etcd-$1
  if [[ -x $out/etcd && -x $out/etcdctl && -x $out/etcdutl ]]; then
    log "etcd $v: cached in $out"; return
  fi
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "etcd $v: resolving modules"
  (cd "$work" && go mod init local/etcdbuild >/dev/null 2>&1 &&
    go get "go.etcd.io/etcd/server/v3@$v" "go.etcd.io/etcd/etcdctl/v3@$v" "go.etcd.io/etcd/etcdutl/v3@$v" >/dev/null 2>&1)
  local ld="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=go-module-proxy"
  mkdir -p "$out.tmp"
  for pair in etcd:go.etcd.io/etcd/server/v3 etcdctl:go.etcd.io/etcd/etcdctl/v3 etcdutl:go.etcd.io/etcd/etcdutl/v3; do
    log "etcd $v: building ${pair%%:*}"
    (cd "$work" && go build -trimpath -ldflags "$ld" -o "$out.tmp/${pair%%:*}" "${pair#*:}")
  done
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "etcd $v: $("$out/etcd" --version | head -1)"
}

# etcd with gofail failpoints, as etcd's own robustness tests build it (its Makefile's gofail-enable):
# the server module's source from the module cache, rewritten by gofail so that each
# `// gofail: var <name>` comment becomes a failpoint, activated at start by
# GOFAIL_FAILPOINTS='raftBeforeSave=sleep(2000)' or at run time over GOFAIL_HTTP. Only the tests run it.
build_etcd_failpoints() {
  local v=$1 out=$cache/etcd-failpoints-$1
  if [[ -x $out/etcd ]]; then log "etcd $v with failpoints: cached in $out"; return; fi
  local work; work=$(mktemp -d)
  trap 'chmod -R u+w "$work"; rm -rf "$work"' RETURN
  log "etcd $v with failpoints: gofail $GOFAIL_VERSION rewriting the server module's source"
  GOBIN=$work/bin go install "go.etcd.io/gofail@$GOFAIL_VERSION"
  local src; src=$(cd "$work" && go mod download -json "go.etcd.io/etcd/server/v3@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  cp -r "$src" "$work/server" && chmod -R u+w "$work/server"
  # etcd's own failpoints sit around the WAL's fsync, not inside the span etcd times as
  # etcd_disk_wal_fsync_duration_seconds; one more, in that span, makes a sleep there what a slow
  # disk is to etcd: the raft loop waits and the histogram shows it
  local wal=$work/server/storage/wal/wal.go
  grep -q $'^\terr := fileutil.Fdatasync(w.tail().File)$' "$wal" || { log "etcd $v: WAL fsync line not found in $wal"; return 1; }
  sed -i $'/^\terr := fileutil.Fdatasync(w.tail().File)$/i // gofail: var walFdatasync struct{}' "$wal"
  (cd "$work/server" && "$work/bin/gofail" enable etcdserver/ storage/backend/ storage/mvcc/ storage/wal/ etcdserver/api/v3rpc/)
  mkdir "$work/build"
  (cd "$work/build" && go mod init local/etcdfailpoints >/dev/null 2>&1 &&
    go mod edit -replace go.etcd.io/etcd/server/v3=../server &&
    go get "go.etcd.io/etcd/server/v3@$v" "go.etcd.io/gofail@$GOFAIL_VERSION" >/dev/null 2>&1)
  mkdir -p "$out.tmp"
  (cd "$work/build" && go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=gofail" \
    -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "etcd $v with failpoints: $("$out/etcd" --version | head -1)"
}

build_helm() {
  local v=$1 out=$cache/helm-$1
  if [[ -x $out/helm ]]; then log "helm $v: cached in $out"; return; fi
  log "helm $v: building (a few minutes on 2 cores)"
  local ld="-s -w -X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  # the Kubernetes version `helm template` and `helm lint` assume, as helm's own Makefile sets it:
  # that of the client-go helm is built with (v0.X.Y is Kubernetes 1.X)
  local client_go
  client_go=$(cd "$(mktemp -d)" && go mod download -json "helm.sh/helm/v3@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' |
    xargs sed -n 's#^\s*k8s.io/client-go v0\.\([0-9]*\)\..*#\1#p')
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ld+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$client_go"
  done
  mkdir -p "$out.tmp"
  GOBIN=$out.tmp go install -trimpath -ldflags "$ld" "helm.sh/helm/v3/cmd/helm@$v"
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "helm $v: $("$out/helm" version --short)"
}

build_prometheus_operator_crds() {
  local v=$1 out=$cache/prometheus-operator-crds-$1
  if [[ -f $out/monitoring.coreos.com_servicemonitors.yaml ]]; then log "prometheus-operator CRDs $v: cached in $out"; return; fi
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "prometheus-operator CRDs $v: building controller-gen $CONTROLLER_TOOLS_VERSION, generating"
  GOBIN=$work/bin go install "sigs.k8s.io/controller-tools/cmd/controller-gen@$CONTROLLER_TOOLS_VERSION"
  local module=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring
  local src; src=$(cd "$work" && go mod download -json "$module@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  (cd "$work/src" && "$work/bin/controller-gen" crd:crdVersions=v1,maxDescLen=0 paths=./v1/... output:crd:dir="$out.tmp")
  rm -rf "$out" && mv "$out.tmp" "$out"
}

build_minio() {
  local v=$1 out=$cache/minio-$1
  if [[ -x $out/minio ]]; then log "minio $v: cached in $out"; return; fi
  log "minio $v: building (about 8 minutes on 2 cores)"
  mkdir -p "$out.tmp"
  GOBIN=$out.tmp go install -trimpath -ldflags "-s -w" "github.com/minio/minio@$v"
  rm -rf "$out" && mv "$out.tmp" "$out"
}

# cert-manager publishes its controller's main as a separate module that is not on the Go module proxy
# (cmd/controller has replace directives to ../../), so this builds a small main of its own on the
# controller packages of the published module: the controllers a Certificate needs for the SelfSigned
# and CA issuers (no ACME, Vault, Venafi, ingress shim, webhook or cainjector). It is run as a local
# process against the e2e API server with --kubeconfig; it never elects a leader.
build_cert_manager() {
  local v=$1 out=$cache/cert-manager-$1
  if [[ -x $out/cert-manager-controller && -f $out/crds/cert-manager.io_certificates.yaml ]]; then
    log "cert-manager $v: cached in $out"; return
  fi
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "cert-manager $v: resolving modules"
  local src
  src=$(cd "$work" && go mod download -json "github.com/cert-manager/cert-manager@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  # A module path under github.com/cert-manager/cert-manager, as cert-manager's own binaries have.
  (cd "$work" && go mod init github.com/cert-manager/cert-manager/local-controller >/dev/null 2>&1)
  cat > "$work/main.go" <<'GO'
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
)

var controllers = []string{
	"issuers", "clusterissuers",
	"certificates-trigger", "certificates-issuing", "certificates-key-manager",
	"certificates-request-manager", "certificates-readiness", "certificates-revision-manager",
	"certificaterequests-approver", "certificaterequests-issuer-selfsigned", "certificaterequests-issuer-ca",
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server to run against")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "cert-manager", "namespace of ClusterIssuers' Secrets")
	minBackoff := flag.Duration("certificate-request-minimum-backoff-duration", time.Hour, "first retry delay of a failed issuance")
	flag.Bool("leader-elect", false, "accepted for the upstream flag's sake: this build never elects a leader")
	logf.InitLogs()
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	factory, err := controllerpkg.NewContextFactory(ctx, controllerpkg.ContextOptions{
		Kubeconfig:       *kubeconfig,
		KubernetesAPIQPS: 20, KubernetesAPIBurst: 50,
		IssuerOptions:    controllerpkg.IssuerOptions{ClusterResourceNamespace: *clusterResourceNamespace},
		CertificateOptions: controllerpkg.CertificateOptions{
			CertificateRequestMinimumBackoffDuration: *minBackoff,
			CertificateRequestMaximumBackoffDuration: 32 * *minBackoff,
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager controller:", err)
		os.Exit(1)
	}
	for _, name := range controllers {
		constructor, ok := controllerpkg.Known()[name]
		if !ok {
			fmt.Fprintln(os.Stderr, "cert-manager controller: no controller", name)
			os.Exit(1)
		}
		controller, err := constructor(factory)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cert-manager controller:", name, err)
			os.Exit(1)
		}
		go func(name string) {
			if err := controller.Run(2, ctx); err != nil {
				fmt.Fprintln(os.Stderr, "cert-manager controller:", name, err)
				os.Exit(1)
			}
		}(name)
	}
	shared, err := factory.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager controller:", err)
		os.Exit(1)
	}
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.SharedInformerFactory.Start(ctx.Done())
	fmt.Fprintln(os.Stderr, "cert-manager controller: running", len(controllers), "controllers")
	<-ctx.Done()
}
GO
  (cd "$work" && go get "github.com/cert-manager/cert-manager@$v" >/dev/null 2>&1 && go mod tidy)
  mkdir -p "$out.tmp/crds"
  log "cert-manager $v: building the controller (several minutes on 2 cores)"
  (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$out.tmp/cert-manager-controller" .)
  cp "$src"/deploy/crds/*.yaml "$out.tmp/crds/" && rm -f "$out.tmp/crds/README.md" && chmod -R u+w "$out.tmp"
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "cert-manager $v: built into $out"
}

targets=${*:-kubernetes etcd etcd-failpoints helm prometheus-operator-crds minio cert-manager}
for t in $targets; do
  case $t in
    kubernetes) build_kubernetes "$KUBERNETES_VERSION" ;;
    etcd) build_etcd "$ETCD_36_VERSION"; build_etcd "$ETCD_35_VERSION" ;;
    etcd-failpoints) build_etcd_failpoints "$ETCD_36_VERSION" ;;
    helm) build_helm "$HELM_VERSION" ;;
    prometheus-operator-crds) build_prometheus_operator_crds "$PROMETHEUS_OPERATOR_VERSION" ;;
    minio) build_minio "$MINIO_VERSION" ;;
    cert-manager) build_cert_manager "$CERT_MANAGER_VERSION" ;;
    *) echo "unknown target $t (kubernetes, etcd, etcd-failpoints, helm, prometheus-operator-crds, minio, cert-manager)" >&2; exit 2 ;;
  esac
done
log "done: binaries under $cache"
