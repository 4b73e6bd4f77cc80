# The operator image: `docker build -t ghcr.io/etcd-platform/etcd-operator:<version> .`
# (release steps: docs/operations.md, "Releasing"). The local environment runs this image's
# ENTRYPOINT with the jar built by ./mvnw (e2e ImageResolver reads it from here).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY testkit/pom.xml testkit/pom.xml
COPY operator/pom.xml operator/pom.xml
COPY e2e/pom.xml e2e/pom.xml
RUN ./mvnw -B -q -pl operator -am dependency:go-offline
# the operator's tests compile against the test kit (-DskipTests still compiles them)
COPY testkit/src testkit/src
COPY operator/src operator/src
RUN ./mvnw -B -q -pl operator -am -DskipTests package \
 && cp operator/target/operator-*-all.jar /src/operator.jar

# etcdutl of each supported minor release: a cluster that starts from a backup restores with the
# etcdutl of its own version (the operator image runs the restore: etcd images have no shell); and
# etcd of each, for the throwaway member a restore drill (verify-snapshot) starts on the restored data
FROM quay.io/coreos/etcd:v3.6.16 AS etcd36
FROM quay.io/coreos/etcd:v3.5.35 AS etcd35

FROM eclipse-temurin:17-jre
# numeric, so that runAsNonRoot can verify it without reading /etc/passwd
USER 65532:65532
COPY --from=build --chown=0:0 --chmod=0444 /src/operator.jar /opt/etcd-operator/operator.jar
COPY --from=etcd36 --chown=0:0 --chmod=0555 /usr/local/bin/etcdutl /opt/etcdutl/3.6/etcdutl
COPY --from=etcd35 --chown=0:0 --chmod=0555 /usr/local/bin/etcdutl /opt/etcdutl/3.5/etcdutl
COPY --from=etcd36 --chown=0:0 --chmod=0555 /usr/local/bin/etcd /opt/etcd/3.6/etcd
COPY --from=etcd35 --chown=0:0 --chmod=0555 /usr/local/bin/etcd /opt/etcd/3.5/etcd
EXPOSE 8080
# Heap from the container's memory limit; an OutOfMemoryError ends the process (the pod restarts)
# rather than leaving a half-working operator. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/etcd-operator/operator.jar"]
