"""Sign-in to /insight with the organisation's OpenID Connect provider.

Set FRONTDOOR_OIDC_ISSUER, FRONTDOOR_OIDC_CLIENT_ID and FRONTDOOR_OIDC_CLIENT_SECRET and every
request to /insight needs a session, whatever its address (behind a reverse proxy every peer
is loopback). The flow is the authorization code flow with PKCE (Authlib's OAuth 2 client):
the provider's endpoints come from its discovery document; the ID token is verified with the
provider's published keys (joserfc, Authlib's JOSE library): signature, issuer, audience,
expiry and the nonce sent. The person is the token's `email` claim (refused when the provider
says it is not verified), looked up in the directory (`bot.insight.access.scope_for`).

The session is a cookie holding a JWT signed (HS256) with a key derived from the client secret:
8 hours, HttpOnly, SameSite=Lax, Secure when the page is served over HTTPS. Nothing is kept on
the server. The redirect URI is `<FRONTDOOR_PUBLIC_URL or the request's origin>/insight/callback`;
register it with the provider.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from aiohttp import web
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey
from pydantic import SecretStr

log = logging.getLogger(__name__)

SESSION_COOKIE = "frontdoor_insight"
LOGIN_COOKIE = "frontdoor_insight_login"
SESSION_SECONDS = 8 * 3600
LOGIN_SECONDS = 600
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
_ISSUER = "frontdoor-insight"


class SigninError(ValueError):
    """Sign-in settings that cannot work (the message names the setting)."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    public_url: str | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> OidcConfig | None:
        """The sign-in settings, or None when no issuer is set (loopback only, no sign-in)."""
        issuer = (getattr(settings, "oidc_issuer", None) or "").strip()
        client_id = (getattr(settings, "oidc_client_id", None) or "").strip()
        secret = getattr(settings, "oidc_client_secret", None)
        secret_text = secret.get_secret_value() if isinstance(secret, SecretStr) else str(secret or "")
        if not issuer:
            if client_id or secret_text:
                raise SigninError("FRONTDOOR_OIDC_CLIENT_ID/_SECRET are set but FRONTDOOR_OIDC_ISSUER is not")
            return None
        if not client_id or not secret_text:
            raise SigninError("FRONTDOOR_OIDC_ISSUER needs FRONTDOOR_OIDC_CLIENT_ID and FRONTDOOR_OIDC_CLIENT_SECRET")
        public = (getattr(settings, "public_url", None) or "").strip().rstrip("/") or None
        return cls(issuer.rstrip("/"), client_id, secret_text, public)


class Signin:
    """The sign-in routes' work: discovery, the redirect, the code exchange, the session."""

    def __init__(self, config: OidcConfig) -> None:
        self.config = config
        derived = hmac.new(config.client_secret.encode(), b"frontdoor insight session", hashlib.sha256).digest()
        self._key = OctKey.import_key(derived)
        self._meta: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    # -- the provider -------------------------------------------------------------------------
    async def metadata(self) -> dict[str, Any]:
        if self._meta is None:
            url = f"{self.config.issuer}/.well-known/openid-configuration"
            async with httpx.AsyncClient() as client:
                response = await client.get(url, timeout=10)
                response.raise_for_status()
                meta = response.json()
            if str(meta.get("issuer", "")).rstrip("/") != self.config.issuer:
                raise SigninError(f"{url} names issuer {meta.get('issuer')!r}, not {self.config.issuer!r}")
            for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not meta.get(needed):
                    raise SigninError(f"{url} has no {needed}")
            self._meta = meta
        return self._meta

    async def keys(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            meta = await self.metadata()
            async with httpx.AsyncClient() as client:
                response = await client.get(meta["jwks_uri"], timeout=10)
                response.raise_for_status()
                self._keys = KeySet.import_key_set(response.json())
        return self._keys

    def _client(self, request: web.Request) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,
            scope="openid email profile",
            redirect_uri=self.redirect_uri(request),
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
        )

    def redirect_uri(self, request: web.Request) -> str:
        base = self.config.public_url or str(request.url.origin())
        return f"{base}/insight/callback"

    # -- the routes ---------------------------------------------------------------------------
    async def begin(self, request: web.Request) -> web.Response:
        """/insight/signin: off to the provider, with state, nonce and a PKCE verifier kept in a
        short-lived signed cookie."""
        meta = await self.metadata()
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(48)
        async with self._client(request) as client:
            url, _ = client.create_authorization_url(
                meta["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
            )
        following = _local(request.query.get("next"))
        login = self._sign({"state": state, "nonce": nonce, "verifier": verifier, "next": following}, LOGIN_SECONDS)
        response = redirect(url)
        self._cookie(request, response, LOGIN_COOKIE, login, LOGIN_SECONDS)
        return response

    async def finish(self, request: web.Request) -> web.Response:
        """/insight/callback: the code exchanged for tokens, the ID token verified, the session set."""
        login = self._read(request.cookies.get(LOGIN_COOKIE, ""))
        state = request.query.get("state", "")
        if login is None or not state or not hmac.compare_digest(state, str(login.get("state", ""))):
            return _text(400, "This sign-in has expired or did not start here: open /insight again.")
        if "error" in request.query:
            return _text(403, f"The identity provider refused the sign-in: {request.query['error'][:80]}")
        code = request.query.get("code", "")
        if not code:
            return _text(400, "The identity provider sent no code.")
        meta = await self.metadata()
        try:
            async with self._client(request) as client:
                token = await client.fetch_token(
                    meta["token_endpoint"], code=code, code_verifier=login["verifier"], grant_type="authorization_code"
                )
            claims = await self.verify(str(token.get("id_token", "")), str(login["nonce"]))
        except Exception as exc:  # the provider's answer, or its token, is not acceptable
            log.warning("insight sign-in failed: %s", exc)
            return _text(403, "The sign-in could not be verified.")
        email = str(claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is False:
            return _text(403, "The identity provider gave no verified email address.")
        response = redirect(_local(login.get("next")))
        self._cookie(request, response, SESSION_COOKIE, self._sign({"email": email}, SESSION_SECONDS), SESSION_SECONDS)
        response.del_cookie(LOGIN_COOKIE, path="/insight")
        log.info("insight sign-in: %s", email)
        return response

    async def signout(self, request: web.Request) -> web.Response:
        """End the session here: its cookie is cleared (the identity provider's own session, if
        any, is the provider's; signing in again may not ask for a password)."""
        who = self.email_of(request)
        response = web.Response(text=SIGNED_OUT, content_type="text/html", headers={"Cache-Control": "no-store"})
        response.del_cookie(SESSION_COOKIE, path="/insight")
        response.del_cookie(LOGIN_COOKIE, path="/insight")
        if who:
            log.info("insight sign-out: %s", who)
        return response

    async def verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience, expiry and nonce check out."""
        try:
            token = jwt.decode(id_token, await self.keys(), algorithms=list(ID_TOKEN_ALGORITHMS))
        except JoseError:  # perhaps a key the provider has rolled in since: read its keys again
            token = jwt.decode(id_token, await self.keys(refresh=True), algorithms=list(ID_TOKEN_ALGORITHMS))
        registry = jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": self.config.issuer},
            aud={"essential": True, "value": self.config.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(token.claims)
        except JoseError:
            issuer = str(token.claims.get("iss", "")).rstrip("/")  # "https://idp/" and "https://idp" are one
            if issuer != self.config.issuer:
                raise
            registry.validate({**token.claims, "iss": self.config.issuer})
        return dict(token.claims)

    def email_of(self, request: web.Request) -> str | None:
        """The signed-in person of this request, or None."""
        session = self._read(request.cookies.get(SESSION_COOKIE, ""))
        email = session.get("email") if session else None
        return str(email) if email else None

    # -- signed cookies -----------------------------------------------------------------------
    def _sign(self, claims: dict[str, Any], seconds: int) -> str:
        now = int(time.time())
        return jwt.encode({"alg": "HS256"}, {**claims, "iss": _ISSUER, "iat": now, "exp": now + seconds}, self._key)

    def _read(self, value: str) -> dict[str, Any] | None:
        if not value:
            return None
        try:
            token = jwt.decode(value, self._key, algorithms=["HS256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": _ISSUER}, exp={"essential": True}).validate(
                token.claims
            )
        except (JoseError, ValueError):
            return None
        return dict(token.claims)

    def _cookie(self, request: web.Request, response: web.StreamResponse, name: str, value: str, seconds: int) -> None:
        secure = request.secure or (self.config.public_url or "").startswith("https://")
        response.set_cookie(name, value, max_age=seconds, path="/insight", httponly=True, samesite="Lax", secure=secure)


SIGNED_OUT = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Signed out</title></head>'
    "<body><main><h1>Signed out</h1><p>You are signed out of the insight page.</p>"
    '<p><a href="/insight">Sign in again</a></p></main></body></html>'
)


def _local(target: Any) -> str:
    """Only a path of this page may follow the sign-in (no open redirect)."""
    text = str(target or "")
    if text.startswith("/insight") and not text.startswith("//") and "\\" not in text:
        return text
    return "/insight"


def _text(status: int, message: str) -> web.Response:
    return web.Response(status=status, text=message + "\n", content_type="text/plain")


def redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


def signin_url(request: web.Request) -> str:
    return "/insight/signin?next=" + quote(request.path_qs, safe="")
