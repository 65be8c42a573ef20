-- Password accounts: reset and sign-in links live beside setup and
-- invitation links in tokens; recovery and invitation mail go through the
-- outbox; users remember their last sign-in for the people page.
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;

--bun:split

ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check CHECK (purpose IN ('setup', 'invite', 'reset', 'signin'));

--bun:split

-- Counting the links issued for one person in the last hour (the rate
-- limit) reads this index.
CREATE INDEX tokens_user_purpose_idx ON tokens (user_id, purpose, created_at);

--bun:split

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;

--bun:split

ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('assigned', 'window_opened', 'due_tomorrow', 'overdue', 'digest', 'recovery', 'invitation'));

--bun:split

ALTER TABLE users ADD COLUMN last_signin_at TIMESTAMPTZ;

--bun:split

-- The people page searches email by prefix and substring; name already has
-- users_name_idx (name, id), the page's keyset order.
CREATE INDEX users_role_name_idx ON users (role, name, id);
