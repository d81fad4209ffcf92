#!/usr/bin/env bash
# Rewrites docs/openapi.yaml from the broker as it runs (the document served at /q/openapi), by
# running OpenApiDocumentTest in its regenerating mode. Run it after changing an endpoint or its
# OpenAPI annotations, and commit the result; ./mvnw verify fails while the file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=OpenApiDocumentTest -Dopenapi.regenerate=true -Dspotless.check.skip=true "$@"
git --no-pager diff --stat -- docs/openapi.yaml || true
