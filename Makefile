# Entry points; each is a thin wrapper. See README.md.
SHELL := /bin/bash
MVN := ./mvnw -B

.PHONY: test demo bench binaries crds

## test: build the Kubernetes/etcd binaries when missing, then run every test (unit, API server)
test: binaries
	$(MVN) verify

## demo: a real API server with the CRDs, the operator and examples/etcd-cluster.yaml in it
demo: binaries
	$(MVN) -q -DskipTests install
	$(MVN) -q -pl e2e exec:exec@demo -Ddemo.hold=$(or $(HOLD),true)

## bench: membership operations on real etcd beside a static cluster start, as a table
bench: binaries
	$(MVN) -q -pl operator test-compile exec:exec@bench

## binaries: Kubernetes and etcd from the Go module proxy into ~/.cache/etcd-platform (cached)
binaries:
	scripts/build-binaries.sh

## crds: regenerate crds/ and the chart's copy from the Java model
crds:
	$(MVN) -q -pl operator process-classes
	rm -f crds/*.yml charts/etcd-operator/crds/*.yml
	cp operator/target/crds/*.yml crds/
	cp operator/target/crds/*.yml charts/etcd-operator/crds/
