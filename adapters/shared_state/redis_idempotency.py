"""Records of idempotent requests in Redis, so a retry may land on any gateway process.

A record is a hash ``{prefix}:idem:<sha256 of the key>`` with the body's fingerprint,
the owner of the running request, and once done the answer's status, headers and body.
Each step is one Lua script, so two processes never both start the same key.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets

from redis.asyncio import Redis

from adapters.shared_state.errors import redis_errors
from adapters.shared_state.idempotency import Claim, StoredResponse

# KEYS: record. ARGV: fingerprint, owner, running ttl ms.
CLAIM = """
local fingerprint = redis.call('HGET', KEYS[1], 'fingerprint')
if not fingerprint then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'owner', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'started'}
end
if fingerprint ~= ARGV[1] then return {'mismatch'} end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'running'} end
return {'done', status, redis.call('HGET', KEYS[1], 'headers'), redis.call('HGET', KEYS[1], 'body')}
"""
# KEYS: record. ARGV: owner, status, headers, body, ttl ms.
COMPLETE = """
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""
# KEYS: record. ARGV: owner.
RELEASE = """
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HEXISTS', KEYS[1], 'status') == 0
then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


class RedisIdempotencyStore:
    """Idempotency records shared by every process using one Redis."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._prefix = prefix
        self._claim = redis.register_script(CLAIM)
        self._complete = redis.register_script(COMPLETE)
        self._release = redis.register_script(RELEASE)

    def __repr__(self) -> str:
        return "RedisIdempotencyStore()"

    def _record(self, key: str) -> str:
        # Hashed: a client's key has any length and any bytes.
        return f"{self._prefix}:idem:{hashlib.sha256(key.encode()).hexdigest()}"

    async def claim(self, key: str, fingerprint: str, *, running_ttl: float) -> Claim:
        owner = secrets.token_hex(16)
        with redis_errors():
            answer = await self._claim(keys=[self._record(key)],
                                       args=[fingerprint, owner, _ms(running_ttl)])
        state = answer[0].decode()
        if state == "started":
            return Claim("started", owner=owner)
        if state != "done":
            return Claim(state)
        status, headers, body = answer[1:]
        pairs = tuple((name.encode("latin-1"), value.encode("latin-1"))
                      for name, value in json.loads(headers))
        return Claim("done", response=StoredResponse(int(status), pairs, bytes(body)))

    async def complete(self, key: str, claim: Claim, response: StoredResponse,
                       *, ttl: float) -> None:
        headers = json.dumps([[name.decode("latin-1"), value.decode("latin-1")]
                              for name, value in response.headers])
        with redis_errors():
            await self._complete(keys=[self._record(key)], args=[
                claim.owner, response.status, headers, response.body, _ms(ttl)])

    async def release(self, key: str, claim: Claim) -> None:
        with redis_errors():
            await self._release(keys=[self._record(key)], args=[claim.owner])
