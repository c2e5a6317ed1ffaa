"""Tokens from `POST /oauth/access_token`, their expiry, and the 401 envelope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandboxes.elasticpath import SANDBOX_CLIENT_ID

from .test_sandbox_helpers import START, FakeClock, request_token, sandbox_client

UNAUTHORIZED = {
    "errors": [{
        "status": 401,
        "title": "Unable to validate access token",
        "detail": "The access token is missing, invalid or expired",
    }]
}


@pytest.mark.anyio
async def test_client_credentials_token_is_unwrapped() -> None:
    async with sandbox_client(authorize=False) as client:
        body = await request_token(client)
    token = body.pop("access_token")
    assert isinstance(token, str) and len(token) == 40
    assert body == {
        "expires": int(START.timestamp()) + 3600,
        "expires_in": 3600,
        "identifier": "client_credentials",
        "token_type": "Bearer",
    }


@pytest.mark.anyio
async def test_implicit_grant_needs_no_secret() -> None:
    async with sandbox_client(authorize=False) as client:
        response = await client.post("/oauth/access_token", data={
            "grant_type": "implicit", "client_id": SANDBOX_CLIENT_ID,
        })
    assert response.status_code == 200
    assert response.json()["identifier"] == "implicit"


@pytest.mark.anyio
async def test_wrong_client_secret_is_401() -> None:
    async with sandbox_client(authorize=False) as client:
        response = await client.post("/oauth/access_token", data={
            "grant_type": "client_credentials", "client_id": SANDBOX_CLIENT_ID,
            "client_secret": "wrong",
        })
    assert response.status_code == 401
    # authentication.yaml gives the status of token errors as a string.
    assert response.json() == {
        "errors": [{"status": "401", "title": "Unauthorized", "detail": "Invalid client_secret"}]
    }


@pytest.mark.anyio
async def test_token_expires_after_ttl() -> None:
    clock = FakeClock()
    async with sandbox_client(clock, token_ttl=timedelta(minutes=5)) as client:
        assert (await client.get("/v2/carts/c1")).status_code == 200
        clock.advance(minutes=4, seconds=59)
        assert (await client.get("/v2/carts/c1")).status_code == 200
        clock.advance(seconds=1)
        response = await client.get("/v2/carts/c1")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.anyio
async def test_ttl_sets_expires_in() -> None:
    async with sandbox_client(authorize=False, token_ttl=timedelta(minutes=5)) as client:
        body = await request_token(client)
    assert (body["expires_in"], body["expires"]) == (300, int(START.timestamp()) + 300)


@pytest.mark.anyio
async def test_missing_or_unknown_token_is_401() -> None:
    async with sandbox_client(authorize=False) as client:
        missing = await client.get("/v2/carts/c1")
        unknown = await client.get("/v2/carts/c1", headers={"Authorization": "Bearer nope"})
        health = await client.get("/healthz")
    assert (missing.status_code, missing.json()) == (401, UNAUTHORIZED)
    assert (unknown.status_code, unknown.json()) == (401, UNAUTHORIZED)
    assert health.status_code == 200
