-- Sign-in without a password: single sign-on (OpenID Connect) and passkeys
-- (WebAuthn). See app/people/sso.go and app/people/passkey.go.

-- A sign-in or registration in progress: the OIDC state (hashed; its nonce
-- and PKCE verifier in data) or a WebAuthn challenge (its session data in
-- data). Kept in the database so any instance can finish what another began;
-- taken (deleted) when used, so each is good once, and refused once expired.
CREATE TABLE signin_challenges (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('oidc', 'passkey.add', 'passkey.signin')),
    key_hash   TEXT NOT NULL UNIQUE,
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    data       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX signin_challenges_user_id_idx ON signin_challenges (user_id);

--bun:split

CREATE INDEX signin_challenges_expires_at_idx ON signin_challenges (expires_at);

--bun:split

-- An account at an identity provider linked to a person: (issuer, subject)
-- is the provider's stable name for them, which survives a change of email.
CREATE TABLE user_identities (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    UNIQUE (issuer, subject)
);

--bun:split

CREATE INDEX user_identities_user_id_idx ON user_identities (user_id);

--bun:split

-- A person's passkeys. credential_id is the authenticator's ID (base64url),
-- data the library's credential record (public key, sign count, flags) as JSON.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    data          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);

--bun:split

CREATE INDEX passkeys_user_id_idx ON passkeys (user_id);
