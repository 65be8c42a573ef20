-- A confirmed staff import is applied by the job runner, not by the request
-- that confirmed it: an instance leases it (lease_owner until lease_until,
-- renewed after each batch), so one instance applies it, and one that stops
-- or dies hands it to the next. Waiting imports are found by status.
ALTER TABLE staff_imports ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';

--bun:split

ALTER TABLE staff_imports ADD COLUMN lease_until TIMESTAMPTZ;

--bun:split

CREATE INDEX staff_imports_status_idx ON staff_imports (status);
