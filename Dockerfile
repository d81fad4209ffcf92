# syntax=docker/dockerfile:1
#
# Token Broker container image: the Quarkus fast-jar on a JRE, running as a numeric non-root user.
#
# Build from the repository root (Docker with BuildKit; no local JDK or Maven needed):
#   docker build -t token-broker:0.1.0 .
# Tests are not run inside the image build: `./mvnw verify` runs them (CI does) before an image is
# built. To pin the base images by digest, pass --build-arg BUILD_IMAGE=...@sha256:... and
# --build-arg RUNTIME_IMAGE=...@sha256:....
#
# Run for evaluation (embedded PostgreSQL under /deployments/data, no Vault; not for production):
#   docker run --rm -p 8080:8080 token-broker:0.1.0
# In Kubernetes, use the Helm chart in helm/token-broker (docs/operations.md).
#
# Environment variables (any configuration key works as one: broker.providers.pinterest.client-id
# is BROKER_PROVIDERS_PINTEREST_CLIENT_ID):
#   QUARKUS_DATASOURCE_JDBC_URL          jdbc:postgresql://host:5432/db; unset = embedded evaluation database
#   QUARKUS_DATASOURCE_USERNAME          database user      } inject at run time from a secret store;
#   QUARKUS_DATASOURCE_PASSWORD          database password  } never bake them into an image
#   QUARKUS_VAULT_URL                    Vault address (client secrets in KV v2, token key in Transit)
#   QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE   Vault Kubernetes auth role
#   MP_JWT_VERIFY_ISSUER                 expected issuer of caller JWTs
#   MP_JWT_VERIFY_PUBLICKEY_LOCATION     caller JWT verification keys (a JWKS URL works)
#   MP_JWT_VERIFY_AUDIENCES              accepted audiences of caller JWTs
#   BROKER_PROVIDERS_<ID>_PRESET         e.g. pinterest
#   BROKER_PROVIDERS_<ID>_CLIENT_ID      the provider app's client id
#   BROKER_PROVIDERS_<ID>_REDIRECT_URI   https://<public host>/v1/oauth/callback
#   BROKER_AUTHORIZATION_RETURN_TO_ALLOWED   allowed return_to URL prefixes, comma-separated
#   JAVA_OPTS                            JVM options; the default sizes the heap from the container limit
#                                        (half of it: metaspace, code and threads need ~170 MB more,
#                                        docs/performance.md) and bounds the code cache and metaspace
#   JAVA_OPTS_APPEND                     more JVM options, appended after JAVA_OPTS
# The broker listens on port 8080: API, OAuth callback, /q/health/* probes and /q/metrics.
# No secret, credential or key is part of this image, and no build argument takes one.

ARG BUILD_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.16_8-jre-noble

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# The wrapper and the POM change rarely; the cache mount keeps Maven and the dependencies between
# builds without putting them in any layer.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests

FROM ${RUNTIME_IMAGE}
ENV LANGUAGE=en_US:en \
    LANG=en_US.UTF-8 \
    JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_OPTS_APPEND=""
WORKDIR /deployments
# A fixed numeric id lets Kubernetes check runAsNonRoot without reading /etc/passwd. The code
# stays owned by root, so the broker cannot change it; only data/ (the evaluation database) is its.
RUN groupadd --system --gid 10001 broker \
    && useradd --system --uid 10001 --gid 10001 --home-dir /deployments --no-create-home \
       --shell /usr/sbin/nologin broker \
    && mkdir -p /deployments/data \
    && chown 10001:10001 /deployments/data
# Fast-jar layers from least to most often changed, so a code change rebuilds only the last ones.
COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /build/target/quarkus-app/*.jar /deployments/
COPY --from=build /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 10001:10001
EXPOSE 8080
# exec hands PID 1 to the JVM, so SIGTERM from Kubernetes starts a graceful shutdown.
ENTRYPOINT ["/bin/sh", "-c", "exec java ${JAVA_OPTS} ${JAVA_OPTS_APPEND} -jar /deployments/quarkus-run.jar \"$@\"", "--"]
