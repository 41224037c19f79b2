-- 0001: the extraction register. Never edit once shipped: add 0002_….sql.

-- entries is the hash-chained register. body holds the canonical bytes that
-- are hashed and signed; time, actor, action and subject are copies of body
-- fields for queries, checked by verify.
CREATE TABLE entries (
    seq     INTEGER PRIMARY KEY,
    time    TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL DEFAULT '',
    body    BLOB    NOT NULL,
    prev    BLOB    NOT NULL,
    hash    BLOB    NOT NULL,
    sig     BLOB    NOT NULL
) STRICT;
CREATE INDEX entries_subject ON entries (subject, seq);
CREATE INDEX entries_subject_time ON entries (subject, time);
CREATE INDEX entries_action  ON entries (action, seq);

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'register entries are never changed: append a correction'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'register entries are never deleted'); END;
CREATE TRIGGER entries_in_order BEFORE INSERT ON entries
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
  OR NEW.prev IS NOT COALESCE((SELECT hash FROM entries WHERE seq = NEW.seq - 1), zeroblob(32))
BEGIN SELECT RAISE(ABORT, 'register entries are appended in order, chained to the previous one'); END;

-- personal holds the personal data of an entry, committed to by a salted
-- hash in the entry body, so it can be erased at the end of retention while
-- the chain stays verifiable (R-REG-4). The only change allowed is erasure.
CREATE TABLE personal (
    seq   INTEGER PRIMARY KEY REFERENCES entries (seq),
    salt  BLOB,
    data  BLOB,
    until TEXT NOT NULL
) STRICT;
CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal
BEGIN SELECT RAISE(ABORT, 'personal data is erased, never deleted'); END;
CREATE TRIGGER personal_erase_only BEFORE UPDATE ON personal
WHEN NEW.seq IS NOT OLD.seq OR NEW.until IS NOT OLD.until OR NEW.salt IS NOT NULL OR NEW.data IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'personal data can only be erased'); END;

-- attachments are documents attached to a case (scanned signed receipts),
-- named by their SHA-256 in the entry that attached them.
CREATE TABLE attachments (
    sha256 BLOB PRIMARY KEY,
    seq    INTEGER NOT NULL REFERENCES entries (seq),
    name   TEXT    NOT NULL,
    data   BLOB,
    until  TEXT    NOT NULL
) STRICT;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'attachments are erased, never deleted'); END;
CREATE TRIGGER attachments_erase_only BEFORE UPDATE ON attachments
WHEN NEW.sha256 IS NOT OLD.sha256 OR NEW.seq IS NOT OLD.seq OR NEW.name IS NOT OLD.name
  OR NEW.until IS NOT OLD.until OR NEW.data IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'attachments can only be erased'); END;

-- checkpoints are signed notes (size + head hash) written after each case
-- step; they are also written to files outside the database.
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL,
    time TEXT    NOT NULL,
    note TEXT    NOT NULL
) STRICT;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are never changed'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;

-- users holds credentials only. Roles, status and public keys live in the
-- register (user.* entries), so editing this table cannot grant a role.
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    password   TEXT NOT NULL, -- argon2id PHC string
    key_kdf    TEXT NOT NULL, -- argon2id parameters and salt of the key-encryption key
    key_box    BLOB NOT NULL, -- AES-256-GCM(nonce || sealed Ed25519 seed)
    public_key BLOB NOT NULL,
    created    TEXT NOT NULL
) STRICT;
