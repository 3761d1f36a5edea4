"""Where the rate limits count: one store for the whole deployment, or a refusal to start.

Counts kept in a worker's memory (memory://) are per worker: with two gunicorn workers every
limit is twice as high. Unless RATELIMIT_STORAGE_URI names a store, the counts live on the Redis
server at REDIS_URL (the one the report queue uses) when it answers at start, else in memory;
in production, memory with more than one worker refuses to start and says why.
"""

import logging

from flask import Flask

log = logging.getLogger(__name__)
MEMORY = "memory://"


def configure(app: Flask) -> None:
    """Choose the store of the rate limits' counts before the limiter is bound to `app`."""
    config = app.config
    uri = (config.get("RATELIMIT_STORAGE_URI") or "").strip()
    if not uri:
        uri = config["REDIS_URL"] if _answers(config["REDIS_URL"]) else MEMORY
    config["RATELIMIT_STORAGE_URI"] = uri
    workers = config.get("WEB_WORKERS", 1)
    if uri.startswith(MEMORY) and workers > 1 and config.get("RATELIMIT_ENABLED", True):
        reason = (
            f"Rate limits kept in memory:// count per worker: with {workers} workers each limit "
            f"would be {workers} times as high. Start Redis at REDIS_URL "
            f"({config['REDIS_URL']}), set RATELIMIT_STORAGE_URI=redis://…, or run one worker."
        )
        if config.get("PRODUCTION"):
            raise RuntimeError(reason)
        log.warning(reason)


def _answers(url: str) -> bool:
    """Whether the Redis server at `url` answers within half a second."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False
