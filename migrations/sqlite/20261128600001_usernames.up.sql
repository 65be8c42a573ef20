-- Accounts with a username instead of an email address, for staff who have
-- no company email: email becomes optional, username is new, and a person
-- needs at least one of the two. A username never holds '@', so a sign-in
-- identifier with '@' is always an email.
--
-- SQLite cannot drop NOT NULL, so users is rebuilt as
-- https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table
-- Schema Changes") says. Thirty-odd tables reference users ON DELETE
-- CASCADE: with foreign keys on, DROP TABLE users would delete every
-- session, enrolment and attempt. PRAGMA foreign_keys is ignored inside a
-- transaction, which is why this file is not a .tx. migration: bun runs its
-- statements one after another on one connection (and the writer pool has
-- only one), so the pragma, the transaction and the rebuild share it.

PRAGMA foreign_keys = OFF;

--bun:split

BEGIN IMMEDIATE;

--bun:split

CREATE TABLE users_new (
    id             INTEGER PRIMARY KEY,
    email          TEXT UNIQUE CHECK (email = lower(email)),
    username       TEXT UNIQUE CHECK (username = lower(username) AND username NOT LIKE '%@%'),
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'manager', 'admin')),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP NOT NULL,
    last_signin_at TIMESTAMP,
    external_id    TEXT,
    CHECK (email IS NOT NULL OR username IS NOT NULL)
);

--bun:split

INSERT INTO users_new (id, email, username, name, password_hash, role, active, created_at, last_signin_at, external_id)
SELECT id, email, NULL, name, password_hash, role, active, created_at, last_signin_at, external_id FROM users;

--bun:split

DROP TABLE users;

--bun:split

ALTER TABLE users_new RENAME TO users;

--bun:split

CREATE INDEX users_name_idx ON users (name, id);

--bun:split

CREATE INDEX users_role_name_idx ON users (role, name, id);

--bun:split

-- Every reference must still find its person (the rebuild kept every id):
-- the CHECK fails the migration, and so keeps it from being marked applied,
-- if PRAGMA foreign_key_check reports anything.
CREATE TEMP TABLE usernames_fk_problems (n INTEGER CHECK (n = 0));

--bun:split

INSERT INTO usernames_fk_problems SELECT count(*) FROM pragma_foreign_key_check;

--bun:split

DROP TABLE usernames_fk_problems;

--bun:split

COMMIT;

--bun:split

PRAGMA foreign_keys = ON;
