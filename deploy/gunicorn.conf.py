"""gunicorn settings for the portal: gunicorn -c deploy/gunicorn.conf.py union_portal.wsgi

Recommended: sync workers, one per CPU core when PostgreSQL and Redis run on the same machine
(the default here), up to 2 x cores + 1 when the database is on another host. No threads.

Why (measured with bench/bench_pages.py, BENCH_GUNICORN=..., on 2 cores with PostgreSQL and
Redis on the same machine, 2026-11-26; req/s of /ten-things/2024/ and an item page):

    workers / class            cached        uncached     item uncached   item p95
    2 sync                     3,859          372           191            53 ms
    5 sync (2 x cores + 1)     4,202          227           136            76 ms
    2 gthread x 4 threads      4,214          145           157           105 ms
    5 gthread x 2 threads      3,781          303           198            73 ms

- A rendered page is CPU-bound Python (queries take well under a millisecond each): more
  processes than cores only compete with each other and with PostgreSQL for the same cores,
  so throughput falls and p95 grows. Threads share one interpreter lock and do the same.
- A cached page is one Redis read (~2 ms at the ceiling's half); any setting serves those.
- With PostgreSQL on another host a worker waits on the network for part of each request;
  then more workers than cores pay off. Measure before raising GUNICORN_WORKERS.
- Bound to the loopback address only: nginx is the one way in (it sets X-Real-IP, which the
  portal trusts for rate limits; exposing gunicorn would let clients choose their address).
- A slow client is buffered by nginx, so sync workers are never held by the network.
- max_requests with jitter recycles workers to keep memory flat over weeks.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
