-- Accounts with a username instead of an email address, for staff who have
-- no company email: email becomes optional, username is new, and a person
-- needs at least one of the two. A username never holds '@', so a sign-in
-- identifier with '@' is always an email. Not a .tx. file only because
-- SQLite's rebuild of the same migration cannot run in one (see there);
-- here one ALTER TABLE makes every change at once.

ALTER TABLE users
    ALTER COLUMN email DROP NOT NULL,
    ADD COLUMN username TEXT UNIQUE CHECK (username = lower(username) AND username NOT LIKE '%@%'),
    ADD CONSTRAINT users_email_or_username CHECK (email IS NOT NULL OR username IS NOT NULL);
