#!/usr/bin/env bash
# A few seconds of the token-fetch benchmark for CI: fails when the broker does not start, a
# seeded token cannot be fetched, or any request of the short wrk run fails. It asserts nothing
# about speed (CI machines are shared and noisy). Needs wrk and the packaged jar.
SMOKE=1 exec "$(dirname "$0")/token-fetch.sh"
