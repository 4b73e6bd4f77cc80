# Entry points; each is a thin wrapper. See README.md.
SHELL := /bin/bash
MVN := ./mvnw -B

.PHONY: test demo demo-tls up down bench binaries crds chart-files

## test: build the Kubernetes/etcd binaries when missing, then run every test (unit, API server)
test: binaries
	$(MVN) verify

## demo: the local environment up, examples/etcd-cluster.yaml Running in it, a key written and read
demo:
	scripts/build-binaries.sh kubernetes etcd helm
	scripts/env.sh demo

## demo-tls: the same environment with examples/etcd-cluster-tls.yaml (mutual TLS), a key written over TLS
demo-tls:
	scripts/build-binaries.sh kubernetes etcd helm
	scripts/env.sh demo-tls

## up / down: the local Kubernetes environment (control plane, node agent, operator) in the background
up:
	scripts/build-binaries.sh kubernetes etcd helm
	scripts/env.sh up

down:
	scripts/env.sh down

## bench: membership operations on real etcd, then the operator on the local environment, each
##        beside a static cluster of the same size started in the same run; the cost of health
##        observation over 1, 10 and 50 clusters beside the idle JVM; defragmentation by database
##        size and a client's latency during it beside the idle cluster; a 1 GiB backup into MinIO
##        beside etcdctl snapshot save, with memory and restore time; a restore drill of that size
##        beside etcdutl snapshot restore alone, with its peak memory; mutual TLS beside plaintext
##        (formation, a 1,000-write burst, a new client's handshake); as tables
bench: binaries
	$(MVN) -q -DskipTests install
	$(MVN) -q -pl operator exec:exec@bench
	$(MVN) -q -pl operator exec:exec@bench-health
	$(MVN) -q -pl operator exec:exec@bench-maintenance
	$(MVN) -q -pl operator exec:exec@bench-offline-defrag
	$(MVN) -q -pl operator exec:exec@bench-backup
	$(MVN) -q -pl operator exec:exec@bench-verify
	$(MVN) -q -pl operator exec:exec@bench-tls
	$(MVN) -q -pl operator exec:exec@bench-keyspace
	$(MVN) -q -pl operator exec:exec@bench-leader
	$(MVN) -q -pl e2e exec:exec@bench

## binaries: Kubernetes, etcd, helm, the Prometheus Operator CRDs, MinIO and cert-manager from the Go module proxy
##           into ~/.cache/etcd-platform (cached)
binaries:
	scripts/build-binaries.sh

## chart-files: copy dashboards/ (Grafana JSON, alert rules) into the chart (a test fails when stale)
chart-files:
	rm -f charts/etcd-operator/files/dashboards/*.json
	cp dashboards/*.json charts/etcd-operator/files/dashboards/
	cp dashboards/alerts.yaml charts/etcd-operator/files/

## crds: regenerate crds/ and the chart's copy from the Java model
crds:
	$(MVN) -q -pl testkit,operator process-test-classes
	rm -f crds/*.yml charts/etcd-operator/crds/*.yml
	cp operator/target/crds/*.yml crds/
	cp operator/target/crds/*.yml charts/etcd-operator/crds/
