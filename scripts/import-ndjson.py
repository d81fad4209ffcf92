#!/usr/bin/env python3
"""Imports many existing refresh tokens into the Token Broker, one NDJSON line each.

Each input line is one body of POST /v1/connections/import, for example:
  {"provider":"pinterest","refresh_token":"pinr.…","allowed_callers":["svc-shop"],"label":"Shop 12"}

Usage:
  BROKER_TOKEN=<broker-admin JWT> scripts/import-ndjson.py --broker https://broker.example \\
      [--concurrency 4] [--rate 5] [--retries 3] tokens.ndjson > failures.ndjson

- Progress goes to stderr; one JSON result per failed line goes to stdout ({"line", "status",
  "code", "detail"}), so `> failures.ndjson` keeps exactly what needs attention. --all writes the
  successes too ({"line", "status", "connection_id", "outcome": "created"|"updated"}).
- At most --concurrency imports run at once and at most --rate start per second: every import is
  one refresh at the provider, so these two bound the load the run puts on the provider's limits.
- 503 and 429 answers and lost connections are retried (--retries times, honouring Retry-After):
  the broker stores nothing when it answers 503, so a retry is safe.
- Neither a refresh token nor the caller token is ever printed; a line that is not JSON is reported
  by its number only.
- Exit status: 0 when every line was imported, 1 when some failed, 2 on a usage error.

Needs only the Python 3.8+ standard library.
"""

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed


class RateLimit:
    """Lets at most `per_second` calls start per second, across threads."""

    def __init__(self, per_second):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_slot = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def post(url, token, body, timeout):
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": "Bearer " + token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def import_line(number, text, args, token, limit):
    """One line, retried on transient answers; returns a result dict."""
    try:
        body = json.loads(text)
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except ValueError:
        return {"line": number, "status": 0, "code": "malformed_line",
                "detail": "The line is not one JSON object."}
    data = json.dumps(body).encode("utf-8")
    url = args.broker.rstrip("/") + "/v1/connections/import"
    attempt = 0
    while True:
        attempt += 1
        limit.wait()
        try:
            status, headers, payload = post(url, token, data, args.timeout)
        except (urllib.error.URLError, OSError) as error:
            status, headers, payload = 0, {}, b""
            reason = type(error).__name__
        else:
            reason = None
        if status in (200, 201):
            view = json.loads(payload)
            return {"line": number, "status": status, "connection_id": view.get("id"),
                    "outcome": "created" if status == 201 else "updated"}
        if status in (0, 429, 503) and attempt <= args.retries:
            retry_after = headers.get("Retry-After") if headers else None
            delay = float(retry_after) if retry_after and retry_after.isdigit() else 2 ** attempt
            time.sleep(min(delay, 60))
            continue
        if status == 0:
            return {"line": number, "status": 0, "code": "no_answer",
                    "detail": "The broker did not answer (" + reason + ")."}
        try:
            problem = json.loads(payload)
        except ValueError:
            problem = {}
        return {"line": number, "status": status, "code": problem.get("code", "http_error"),
                "detail": problem.get("detail", "HTTP " + str(status))}


def main():
    parser = argparse.ArgumentParser(
        description="Import refresh tokens from NDJSON into the Token Broker.")
    parser.add_argument("file", help="NDJSON file, one import body per line ('-' for stdin)")
    parser.add_argument("--broker", required=True, help="the broker's base URL")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="imports in flight at once (default 4)")
    parser.add_argument("--rate", type=float, default=5.0,
                        help="imports started per second at most (default 5)")
    parser.add_argument("--retries", type=int, default=3,
                        help="retries of a 503, 429 or lost connection (default 3)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for one answer (default 60)")
    parser.add_argument("--all", action="store_true", help="also report successful lines")
    args = parser.parse_args()
    token = os.environ.get("BROKER_TOKEN")
    if not token:
        print("BROKER_TOKEN must hold a caller token with the broker-admin role", file=sys.stderr)
        return 2
    if args.concurrency < 1:
        print("--concurrency must be at least 1", file=sys.stderr)
        return 2

    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
    with source:
        lines = [(n, text) for n, text in enumerate(source, start=1) if text.strip()]
    total, done, failed = len(lines), 0, 0
    started = time.monotonic()
    limit = RateLimit(args.rate)
    out_lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = [pool.submit(import_line, n, text, args, token, limit) for n, text in lines]
        for future in as_completed(futures):
            result = future.result()
            done += 1
            ok = result["status"] in (200, 201)
            failed += 0 if ok else 1
            with out_lock:
                if not ok or args.all:
                    print(json.dumps(result), flush=True)
                rate = done / max(time.monotonic() - started, 0.001)
                print("\r%d/%d done, %d failed, %.1f/s" % (done, total, failed, rate),
                      end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
