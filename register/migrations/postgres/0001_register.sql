-- 0001 on PostgreSQL: the tables and columns of ../0001_register.sql
-- (TestMigrationsMatch), BLOB as BYTEA, INTEGER keys as BIGINT, text
-- compared byte by byte as in SQLite (COLLATE "C"), the triggers in
-- PL/pgSQL. Never edit once shipped: add 0002_….sql here and beside.
--
-- Run by the owner role. The application's login roles are members of
-- mileo_writer, which may read and append, erase personal data and
-- attachments, and store credentials: never change nor delete the log.

CREATE TABLE entries (
    seq     BIGINT PRIMARY KEY,
    time    TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    action  TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL DEFAULT '',
    body    BYTEA NOT NULL,
    prev    BYTEA NOT NULL,
    hash    BYTEA NOT NULL,
    sig     BYTEA NOT NULL
);
CREATE INDEX entries_subject ON entries (subject, seq);
CREATE INDEX entries_subject_time ON entries (subject, time);
CREATE INDEX entries_action  ON entries (action, seq);

-- register_refuse raises its argument: the triggers that refuse a change.
CREATE FUNCTION register_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW
EXECUTE FUNCTION register_refuse('register entries are never changed: append a correction');
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries FOR EACH ROW
EXECUTE FUNCTION register_refuse('register entries are never deleted');
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT
EXECUTE FUNCTION register_refuse('register entries are never deleted');

CREATE FUNCTION entries_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
       OR NEW.prev IS DISTINCT FROM COALESCE((SELECT hash FROM entries WHERE seq = NEW.seq - 1),
                                             decode(repeat('00', 32), 'hex')) THEN
        RAISE EXCEPTION 'register entries are appended in order, chained to the previous one'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER entries_in_order BEFORE INSERT ON entries FOR EACH ROW
EXECUTE FUNCTION entries_in_order();

CREATE TABLE personal (
    seq   BIGINT PRIMARY KEY REFERENCES entries (seq),
    salt  BYTEA,
    data  BYTEA,
    until TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal FOR EACH ROW
EXECUTE FUNCTION register_refuse('personal data is erased, never deleted');
CREATE TRIGGER personal_no_truncate BEFORE TRUNCATE ON personal FOR EACH STATEMENT
EXECUTE FUNCTION register_refuse('personal data is erased, never deleted');
CREATE FUNCTION personal_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq IS DISTINCT FROM OLD.seq OR NEW.until IS DISTINCT FROM OLD.until
       OR NEW.salt IS NOT NULL OR NEW.data IS NOT NULL THEN
        RAISE EXCEPTION 'personal data can only be erased' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER personal_erase_only BEFORE UPDATE ON personal FOR EACH ROW
EXECUTE FUNCTION personal_erase_only();

CREATE TABLE attachments (
    sha256 BYTEA PRIMARY KEY,
    seq    BIGINT NOT NULL REFERENCES entries (seq),
    name   TEXT COLLATE "C" NOT NULL,
    data   BYTEA,
    until  TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments FOR EACH ROW
EXECUTE FUNCTION register_refuse('attachments are erased, never deleted');
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments FOR EACH STATEMENT
EXECUTE FUNCTION register_refuse('attachments are erased, never deleted');
CREATE FUNCTION attachments_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.seq IS DISTINCT FROM OLD.seq
       OR NEW.name IS DISTINCT FROM OLD.name OR NEW.until IS DISTINCT FROM OLD.until
       OR NEW.data IS NOT NULL THEN
        RAISE EXCEPTION 'attachments can only be erased' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER attachments_erase_only BEFORE UPDATE ON attachments FOR EACH ROW
EXECUTE FUNCTION attachments_erase_only();

CREATE TABLE checkpoints (
    size BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL,
    time TEXT COLLATE "C" NOT NULL,
    note TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints FOR EACH ROW
EXECUTE FUNCTION register_refuse('checkpoints are never changed');
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints FOR EACH ROW
EXECUTE FUNCTION register_refuse('checkpoints are never deleted');
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints FOR EACH STATEMENT
EXECUTE FUNCTION register_refuse('checkpoints are never deleted');

CREATE TABLE users (
    name       TEXT COLLATE "C" PRIMARY KEY,
    password   TEXT COLLATE "C" NOT NULL, -- argon2id PHC string
    key_kdf    TEXT COLLATE "C" NOT NULL, -- argon2id parameters and salt of the key-encryption key
    key_box    BYTEA NOT NULL, -- AES-256-GCM(nonce || sealed Ed25519 seed)
    public_key BYTEA NOT NULL,
    created    TEXT COLLATE "C" NOT NULL
);

-- hex is SQLite's: the application's SQL is written once for both.
CREATE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT upper(encode($1, 'hex')) $$;

-- The application's rights: read and append the log; erase (set to NULL)
-- personal data and attachments, which the triggers above limit to
-- erasure; store credentials. No UPDATE, DELETE or TRUNCATE of the log.
REVOKE ALL ON entries, personal, attachments, checkpoints, users, schema_migrations FROM PUBLIC;
GRANT SELECT ON schema_migrations TO mileo_writer;
GRANT SELECT, INSERT ON entries, checkpoints TO mileo_writer;
GRANT SELECT, INSERT, UPDATE (salt, data) ON personal TO mileo_writer;
GRANT SELECT, INSERT, UPDATE (data) ON attachments TO mileo_writer;
GRANT SELECT, INSERT, UPDATE (password, key_kdf, key_box, public_key) ON users TO mileo_writer;
