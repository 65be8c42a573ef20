-- Sign-in throttling (app/auth/throttle.go). One row per password check,
-- reserved before the check runs and deleted when it succeeds, so the rows
-- still in the window are failures and checks in flight. account is the
-- lower-cased email as typed, whether or not someone has it.
CREATE TABLE signin_attempts (
    id      INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX signin_attempts_address_idx ON signin_attempts (address, at);

--bun:split

CREATE INDEX signin_attempts_account_idx ON signin_attempts (account, at);

--bun:split

-- One row per address that has tried to sign in. Counting and reserving an
-- attempt first writes the address's row, which holds the row (PostgreSQL)
-- or the database (SQLite) until the transaction ends: the attempts of one
-- address are counted one after another, on every instance.
CREATE TABLE signin_locks (
    address TEXT PRIMARY KEY,
    at      TIMESTAMP NOT NULL
);

--bun:split

-- Replaced by signin_attempts: its counts were read and written in separate
-- steps, so parallel requests all passed the check.
DROP TABLE login_failures;
