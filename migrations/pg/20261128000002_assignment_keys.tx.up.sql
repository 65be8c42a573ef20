-- An assignment made from a form carries the form's idempotency key: the same
-- form sent twice (a double click, a resent request, two instances behind a
-- balancer) makes one assignment, because this unique index refuses the
-- second row in the database itself. Rows made without a form (the demo)
-- have no key; NULLs never collide. people is how many people the assignment
-- enrolled when made, so a resent form can answer as the first one did.
ALTER TABLE assignments ADD COLUMN idempotency_key TEXT;

--bun:split

ALTER TABLE assignments ADD COLUMN people INTEGER;

--bun:split

CREATE UNIQUE INDEX assignments_created_by_key_idx ON assignments (created_by, idempotency_key);

--bun:split

-- The unique index leads with created_by: it indexes the foreign key too.
DROP INDEX assignments_created_by_idx;
