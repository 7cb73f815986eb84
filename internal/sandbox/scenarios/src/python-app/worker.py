"""The worker process: sends order e-mails queued by the web process."""
import os
import time

import redis

queue = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379"))

while True:
    job = queue.blpop("emails", timeout=5)
    if job:
        print("sending", job[1].decode())
    time.sleep(0.1)
