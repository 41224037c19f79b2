-- The test vectors of SPEC.md §10 (testdata/vectors.json) as SQL, written by TestVectors:
--   mkdir d && sqlite3 d/register.db < vectors.sql && mileo-extract register verify --data d
BEGIN;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL) STRICT;
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
INSERT INTO schema_migrations (version, name, applied) VALUES (1, '0001_register.sql', '2026-01-05T08:29:59.000000000Z');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (1, '2026-01-05T08:30:00.123456789Z', 'system', 'register.init', 'site',
  CAST('{"v":1,"time":"2026-01-05T08:30:00.123456789Z","actor":"system","role":"system","action":"register.init","subject":"site","signer":"8b81c862681b712b3541770fcae748a9","data":{"site":"Entrepôt Sud","site_id":"0badcafe","site_key":"mileo-extract-0badcafe+1a77e495+AYFGZA8CSTr0+8VP4zOI513CyTeuC3cnzCsq+xt1GZo+","software":"1.0.0"}}' AS BLOB),
  X'0000000000000000000000000000000000000000000000000000000000000000', X'd23692f3bda02520296ea8120ac57e1b441d5ae04dc172b3fbeda788de038c7f',
  X'2733af9266068216f5fd91026bf84ba74165c09295c04268eb446bf3cca3d129f8c185de48c158394d6818983a299933cc1447b9080e81c32f8b3414f5884b04');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (2, '2026-01-05T08:30:00.125000000Z', 'system', 'user.add', 'user:a.durand',
  CAST('{"v":1,"time":"2026-01-05T08:30:00.125000000Z","actor":"system","role":"system","action":"user.add","subject":"user:a.durand","signer":"8b81c862681b712b3541770fcae748a9","data":{"credentials":"ec29c8c0ed05d47625228e1ae8d32580e17431f5cfed50b3f92c0f5a19cb85d5","fingerprint":"77d17e587718c73e851d23f6b044089f","public_key":"ZKCOZZxOdQDIOmDkU+5gjedNjPRDfooHebexzyBTLIo=","role":"admin","user":"a.durand"}}' AS BLOB),
  X'd23692f3bda02520296ea8120ac57e1b441d5ae04dc172b3fbeda788de038c7f', X'5d67950f4786fccf78efd1787bc7733b0226186932db5489bdf659a5408f031f',
  X'a1276b87371a5f48606c4335d66bb2b56508c4862da512762769aeef5318faa44d08eeb4845d5d612ca4fe8bb312b53a03f7c8641314e698621d9113774f280d');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (3, '2026-01-05T08:31:12.000000000Z', 'a.durand', 'auth.login', 'user:a.durand',
  CAST('{"v":1,"time":"2026-01-05T08:31:12.000000000Z","actor":"a.durand","role":"admin","action":"auth.login","subject":"user:a.durand","signer":"77d17e587718c73e851d23f6b044089f","data":{"user":"a.durand"}}' AS BLOB),
  X'5d67950f4786fccf78efd1787bc7733b0226186932db5489bdf659a5408f031f', X'ae453e12a18f3864c7affd7b31ce2533d172bb6f3c75b729711d969ce736c71c',
  X'786dccfec84d85149cc7af42d2df70cd10b18158514c9cc2ea081abaa3ef0a480de7eace27969ce193b2458058a0bde28204dc43adc2de2457f86f1f9c4b4e0e');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (4, '2026-01-05T08:32:40.000000000Z', 'a.durand', 'user.add', 'user:s.bernard',
  CAST('{"v":1,"time":"2026-01-05T08:32:40.000000000Z","actor":"a.durand","role":"admin","action":"user.add","subject":"user:s.bernard","signer":"77d17e587718c73e851d23f6b044089f","data":{"credentials":"023ae286aa1c31d72b7a73e1b510defdff6d81641eac597d887df35cd45ee3d2","role":"security_manager","user":"s.bernard"}}' AS BLOB),
  X'ae453e12a18f3864c7affd7b31ce2533d172bb6f3c75b729711d969ce736c71c', X'a1b7bccba3775be03694833c662c68ea0ed25d7fa0cb4ca1e3e91a5fb6fd041d',
  X'2f950f733ce57d0a56fd3ee8f0ccb8b6e60943c3af63775e7dfa0ce68265f9f6b869e318d5baabde98d41b1c197b207fbace0df93d3b34a8a2ed7e95a1d5fc0b');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (5, '2026-01-05T08:33:05.000000000Z', 'a.durand', 'user.add', 'user:o.martin',
  CAST('{"v":1,"time":"2026-01-05T08:33:05.000000000Z","actor":"a.durand","role":"admin","action":"user.add","subject":"user:o.martin","signer":"77d17e587718c73e851d23f6b044089f","data":{"credentials":"d5f67bd70924e4b8a3d76c78e8b728ead719743a57825583859edc56777ee047","role":"operator","user":"o.martin"}}' AS BLOB),
  X'a1b7bccba3775be03694833c662c68ea0ed25d7fa0cb4ca1e3e91a5fb6fd041d', X'f217178dedcef910d1fde0555f7f29f05a9eb9dd5ef2752e5f909b3f3b5c252b',
  X'c01f0fc5311b19648225d0a839e2be7d3e1683d62bdae28076063fa7f1513d0080b314424ecb9b877f150d999b5ee7ef5d03428ec6e5b6a6f3ab9a1df5c5510e');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (6, '2026-01-05T09:02:17.000000000Z', 'o.martin', 'user.key', 'user:o.martin',
  CAST('{"v":1,"time":"2026-01-05T09:02:17.000000000Z","actor":"o.martin","role":"operator","action":"user.key","subject":"user:o.martin","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"credentials":"e1d80689cbef1d8b500f814613d5742a269a826124e3ff929c4d936246ac74e9","fingerprint":"34750f98bd59fcfc946da45aaabe933b","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=","user":"o.martin"}}' AS BLOB),
  X'f217178dedcef910d1fde0555f7f29f05a9eb9dd5ef2752e5f909b3f3b5c252b', X'6229eedea3dc4a7fecd45f91928ed0a10e3ab20f750d945405bfabb28c651b2a',
  X'dba8be54ede0e2e8562c189c656a629994fea788608753ce7ac729637f6cde85625b93207f71f2727c62e961f1014fd461ed6869d0933aa5a9718c756c825a0c');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (7, '2026-01-05T09:15:44.000000000Z', 'o.martin', 'case.new', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-05T09:15:44.000000000Z","actor":"o.martin","role":"operator","action":"case.new","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"cameras":["cam-02","cam-05"],"detail":"vol de marchandises sur le quai 3","number":"EXT-2026-0001","range":{"end":"2026-01-04T22:30:00Z","start":"2026-01-04T21:00:00Z"},"reason":"police","received":"2026-01-05T09:10:00Z"},"personal":{"commit":"49dd4f088b7627647fc1c1b6f85c1825bac3ef02353f9df20283d6c665d32293","until":"2031-01-05T09:15:44.000000000Z"}}' AS BLOB),
  X'6229eedea3dc4a7fecd45f91928ed0a10e3ab20f750d945405bfabb28c651b2a', X'cdaeb3fc1dcd6d84260b4a5389d65ad403e79e48fd23753910213431f591f16c',
  X'3d2e76b64a862c84e982c2c5e19a45208680993b928ffd25fe84e99e34e51595911611aa201cca0c144214d63ed264305022780a1b21f236d0899c68fc888805');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (8, '2026-01-05T09:21:03.000000000Z', 'o.martin', 'case.confirm', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-05T09:21:03.000000000Z","actor":"o.martin","role":"operator","action":"case.confirm","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"cameras":["cam-02","cam-05"],"how":"téléphone","range":{"end":"2026-01-04T22:30:00Z","start":"2026-01-04T21:00:00Z"}},"personal":{"commit":"a923473e695660ebb20d3f40e286036744e16f43aa00803be0b68e9f99476958","until":"2031-01-05T09:21:03.000000000Z"}}' AS BLOB),
  X'cdaeb3fc1dcd6d84260b4a5389d65ad403e79e48fd23753910213431f591f16c', X'9b1f4eb439925b5b8b41e7a1d38daac022438b17d1c8083e7a8cffa6adb17075',
  X'd10fefb5e333fec4aad8bbd1acef40aa66680c86469fbef880eb781757218c518e4e09f7e831389db5a8f7aa0c7052f56f1fec2a872c3d3941376bcc663b2d01');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (9, '2026-01-05T10:47:51.000000000Z', 'system', 'auth.fail', 'user:s.bernard',
  CAST('{"v":1,"time":"2026-01-05T10:47:51.000000000Z","actor":"system","role":"system","action":"auth.fail","subject":"user:s.bernard","signer":"8b81c862681b712b3541770fcae748a9","data":{"reason":"bad_password","user":"s.bernard"}}' AS BLOB),
  X'9b1f4eb439925b5b8b41e7a1d38daac022438b17d1c8083e7a8cffa6adb17075', X'18b2093c779eb6454f98a61c432ce0a3c0785c4e792377368c1106623b4062fa',
  X'c75edc7a5148c6384587049bd4c2b7319311e279c2cb96729f62a995d68210f9a2b99efff101bd6cb5299880aaaa6bb337a230d0610257e36f994133efcf5301');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (10, '2026-01-05T10:48:09.000000000Z', 's.bernard', 'user.key', 'user:s.bernard',
  CAST('{"v":1,"time":"2026-01-05T10:48:09.000000000Z","actor":"s.bernard","role":"security_manager","action":"user.key","subject":"user:s.bernard","signer":"0e1b4e0d165bed857e8a3232ee9865b7","data":{"credentials":"e2c1fd939a50fd34785f57e7c22cfc52a60e7ec55b19626fedbe186dd8842327","fingerprint":"0e1b4e0d165bed857e8a3232ee9865b7","public_key":"a3NKjv8kb+c0s41ARsFI7uXwT+h7OgpCOVWneVbeBms=","user":"s.bernard"}}' AS BLOB),
  X'18b2093c779eb6454f98a61c432ce0a3c0785c4e792377368c1106623b4062fa', X'df4aa30b5e9a4599be7fca518f5a94b78d48d8d384250244cbb7c9bb5fff363c',
  X'54d29f0264cb10f46e649fb72d5f193b20f9c7c072b8770f434e391b6bad582f182bba7e8ce46d575ea734a2a395015d65468a5d94db5e711e0d20fdeecc090e');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (11, '2026-01-05T10:52:30.000000000Z', 's.bernard', 'case.authorize', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-05T10:52:30.000000000Z","actor":"s.bernard","role":"security_manager","action":"case.authorize","subject":"EXT-2026-0001","signer":"0e1b4e0d165bed857e8a3232ee9865b7","data":{"basis":"authorization"},"personal":{"commit":"fc056a4ea8deacf574b45e32936a44b8da18a1e74c1e82a103e13e2b18c10419","until":"2031-01-05T10:52:30.000000000Z"}}' AS BLOB),
  X'df4aa30b5e9a4599be7fca518f5a94b78d48d8d384250244cbb7c9bb5fff363c', X'475a3fc946d9b72cce0f5637167c93b94bc974ce539147f3f6b5103fd7963458',
  X'2eaa507454b38947d17e0c5a8fbd995569e911d6309ffda778896afcf3540004befe476b43faf89d98deea7ab9a592d6281ebe00d4bda3d71ba6f1cb6ea2d703');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (12, '2026-01-06T07:58:02.000000000Z', 'o.martin', 'auth.login', 'user:o.martin',
  CAST('{"v":1,"time":"2026-01-06T07:58:02.000000000Z","actor":"o.martin","role":"operator","action":"auth.login","subject":"user:o.martin","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"user":"o.martin"}}' AS BLOB),
  X'475a3fc946d9b72cce0f5637167c93b94bc974ce539147f3f6b5103fd7963458', X'643f4b1cd7b7859c1d277f325703a5f1f279a6a7b79d6aeff70b4f805b3ffcf4',
  X'f8aa08f371e52b6a557a89694bbc68d3ee55645e165ab96a521e839ff8dc7975247e3f283584881a0c7989f6f0a745e9bf75f9c6cdbe85b15214f3ef268b2b07');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (13, '2026-01-06T08:05:10.000000000Z', 'o.martin', 'case.export.start', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T08:05:10.000000000Z","actor":"o.martin","role":"operator","action":"case.export.start","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"anonymize":false,"cameras":["cam-02","cam-05"],"copy":"CP-0001","encrypt":true,"out_dir":"/srv/mileo/exports/EXT-2026-0001","range":{"end":"2026-01-04T22:30:00Z","start":"2026-01-04T21:00:00Z"},"source":"folder NVR-Quai"}}' AS BLOB),
  X'643f4b1cd7b7859c1d277f325703a5f1f279a6a7b79d6aeff70b4f805b3ffcf4', X'fb29811c93594161d278adaa12a35e16715b62204aca496813c7f54843d8b7fe',
  X'3993112607bfd5fa58fe23e4e910293b06b12dba91272b1b6cc3c9dbc538383b4ca2ae9ca98f4d3766503ca8ff4fcdc9c546435e8a03a0a4abcf987263d96d00');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (14, '2026-01-06T08:05:10.000500000Z', 'o.martin', 'copy.track', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T08:05:10.000500000Z","actor":"o.martin","role":"operator","action":"copy.track","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"basis":"PROC-RGPD-001 §04 : 30 jours après la fin de l''usage légitime","case":"EXT-2026-0001","deadline":"2026-02-05T08:05:10.0005Z","id":"CP-0001","kind":"export","location":"/srv/mileo/exports/EXT-2026-0001"}}' AS BLOB),
  X'fb29811c93594161d278adaa12a35e16715b62204aca496813c7f54843d8b7fe', X'69ab3f6d970db4ee155032c220df4161b69120e2d672954de093f516c553fb39',
  X'd3d8f87152198bba92059d1f6235ccdfe7bb6a00b95a68b334e41bc6d8d99cfad09e0b5d6bcbc59ad7fe0022a60e36b7a6bb6f76574e3f6275d12aa61a7c6204');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (15, '2026-01-06T08:09:48.000000000Z', 'o.martin', 'case.export', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T08:09:48.000000000Z","actor":"o.martin","role":"operator","action":"case.export","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"archive":"EXT-2026-0001.zip","complete":true,"copy":"CP-0001","encrypted":true,"files":[{"anonymized":false,"camera":"cam-02","codec":"h264","duration_ms":5400000,"name":"EXT-2026-0001_cam-02.mp4","reencoded":false,"sha256":"298301d749bb5c220e380a94f7e2c375d51fda7593dd0631000dfb8dfb904390","size":412316860},{"anonymized":false,"camera":"cam-05","codec":"h264","duration_ms":5400000,"name":"EXT-2026-0001_cam-05.mp4","reencoded":false,"sha256":"26c6d921b11ab0f16a52b093e74fc3b55a7c8e2ed2e58f5db7c2a4f30c1e32d0","size":398458112}],"out_dir":"/srv/mileo/exports/EXT-2026-0001","range":{"end":"2026-01-04T22:30:00Z","start":"2026-01-04T21:00:00Z"},"source":"folder NVR-Quai","written":[{"name":"EXT-2026-0001.zip","sha256":"9eecdf71fa4e58e47e9306fe35c237ca3689bbe26ee5f2eedcd2db2fc22a3ac0","size":810775604}]}}' AS BLOB),
  X'69ab3f6d970db4ee155032c220df4161b69120e2d672954de093f516c553fb39', X'9b25d2f5a3b6de0b43f04a63ede2ed2ac85213d0e8813021ca43b47660ca86b8',
  X'f4bcb618aa9bddf3bbe409ba502bbb224b2626078123ab66a7b2fcbff6a6ff8bde9961b18b6bc1d00fc2c12dc64a41bab6c89712925ea94e2df94a192f91ee07');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (16, '2026-01-06T08:09:48.000400000Z', 'o.martin', 'case.encrypt', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T08:09:48.000400000Z","actor":"o.martin","role":"operator","action":"case.encrypt","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"archive":"EXT-2026-0001.zip","cipher":"AES-256 (ZIP)","password_stored":false,"sha256":"9eecdf71fa4e58e47e9306fe35c237ca3689bbe26ee5f2eedcd2db2fc22a3ac0","size":810775604}}' AS BLOB),
  X'9b25d2f5a3b6de0b43f04a63ede2ed2ac85213d0e8813021ca43b47660ca86b8', X'6e2f9305465580767187e08d3a8f5e27063009dd922f6abc8eb57185bba47a67',
  X'74c080ef11f20f8d34f0c162b8703406aa9d637be25ead85595bf327f571d2445085dbb8deed8441cb08d3e4ce94a04b3ee35ed9c283b90aaf810eab3f266504');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (17, '2026-01-06T14:30:00.000000000Z', 'o.martin', 'case.deliver', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T14:30:00.000000000Z","actor":"o.martin","role":"operator","action":"case.deliver","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"date":"2026-01-06T14:30:00Z","file_channel":"hand","mode":"hand","nature":"Enregistrements de vidéoprotection, caméras cam-02, cam-05, du 04/01/2026 22:00:00 au 04/01/2026 23:30:00 CET","password_channel":"phone","seal":"SC-0042","support":"usb"},"personal":{"commit":"74137268dc071d92134951fff6fd7a22c26437a77ad4cfce164c2e27b18c152e","until":"2031-01-06T14:30:00.000000000Z"}}' AS BLOB),
  X'6e2f9305465580767187e08d3a8f5e27063009dd922f6abc8eb57185bba47a67', X'53e516e335084276f9ac1649dccce91e32e2a0d472637512ea2f1c74dd284dee',
  X'231a2dbddca3adf87e5ea4931298563c04593a96148fe5ddc139a9665f6e29e5b159fcf39f6859d12fc88af61958bf896aab900110e2b4532080140da3fcbe0a');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (18, '2026-01-06T14:35:12.000000000Z', 'o.martin', 'case.attach', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T14:35:12.000000000Z","actor":"o.martin","role":"operator","action":"case.attach","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"kind":"receipt_scan","name":"recu-EXT-2026-0001.pdf","sha256":"55730f5bc36a3361864d92d165f4f8a05b8574efb43560a4ceb25d51866587f2","size":73}}' AS BLOB),
  X'53e516e335084276f9ac1649dccce91e32e2a0d472637512ea2f1c74dd284dee', X'ed2b98525c28353cc93b6fcde30b1eb8345dc2c51272022eeb56702aebdbd02a',
  X'1397bee35b6a61f8ab74cc179ad669a7f7cc28c598e455df10602155f19e859798fb80293b572f5f900057e0f304e383b95f803e572d8326ff04bd9a4eb93304');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (19, '2026-01-06T14:36:00.000000000Z', 'o.martin', 'case.close', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-01-06T14:36:00.000000000Z","actor":"o.martin","role":"operator","action":"case.close","subject":"EXT-2026-0001","signer":"34750f98bd59fcfc946da45aaabe933b","data":{"from":"delivered"},"personal":{"commit":"65bfdd912fa8d64247a750f1d866048bd6d3bc7ca30e3f116c8d397d1f6750fb","until":"2031-01-06T14:36:00.000000000Z"}}' AS BLOB),
  X'ed2b98525c28353cc93b6fcde30b1eb8345dc2c51272022eeb56702aebdbd02a', X'7076ef6e458be8830af3d63cd325de7565681f7de8f83d046672fe0d391ca552',
  X'44e20b105e17f123e97dddff48f3a92fa89a691ef6f66815c471725f51588358cea1a1fce63bf7bb9b4327f972e201f930a1f3aa007ba46a726bc14dc7a8600f');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (20, '2026-02-03T09:00:05.000000000Z', 'a.durand', 'auth.login', 'user:a.durand',
  CAST('{"v":1,"time":"2026-02-03T09:00:05.000000000Z","actor":"a.durand","role":"admin","action":"auth.login","subject":"user:a.durand","signer":"77d17e587718c73e851d23f6b044089f","data":{"user":"a.durand"}}' AS BLOB),
  X'7076ef6e458be8830af3d63cd325de7565681f7de8f83d046672fe0d391ca552', X'f63a5121dc75791922513e18e9f3a0daab399f203c41363bbfa3ee51c70a3cfa',
  X'c8853058a5642fd3e44217a1c0a820836cbd74c0abd3a16b9bfcdfa3fcc85a2bccafa060356a2b65f55bde537be8288973cf1bfc63ec3c0a566a80dc4ee5b30a');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (21, '2026-02-03T09:01:30.000000000Z', 'a.durand', 'user.reset', 'user:o.martin',
  CAST('{"v":1,"time":"2026-02-03T09:01:30.000000000Z","actor":"a.durand","role":"admin","action":"user.reset","subject":"user:o.martin","signer":"77d17e587718c73e851d23f6b044089f","data":{"credentials":"a8e126771141522ea74b32b211492c67cac97ce20754b75f69ed58605f498b82","revoked":"34750f98bd59fcfc946da45aaabe933b","user":"o.martin"}}' AS BLOB),
  X'f63a5121dc75791922513e18e9f3a0daab399f203c41363bbfa3ee51c70a3cfa', X'd2fbe1c73cfb40506b97ef4c59df035fb7ea2ef69d8b853dc3bd7bbdd6c09590',
  X'c5ee976ff7353420d42c3d05f18e7ca195f4f596232c80ba0794875bd41d4b29d3f082c0fb0dadedf6873d494f931644048253f4d5da479e6e46fbba7126950a');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (22, '2026-02-03T09:40:11.000000000Z', 'o.martin', 'user.key', 'user:o.martin',
  CAST('{"v":1,"time":"2026-02-03T09:40:11.000000000Z","actor":"o.martin","role":"operator","action":"user.key","subject":"user:o.martin","signer":"6a3803d5f059902a1c6dafbc9ba47292","data":{"credentials":"4a60da1a7256cf3ef3182e007b39930725a522aacb5cb9a325abbd120777ad36","fingerprint":"6a3803d5f059902a1c6dafbc9ba47292","public_key":"gTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=","user":"o.martin"}}' AS BLOB),
  X'd2fbe1c73cfb40506b97ef4c59df035fb7ea2ef69d8b853dc3bd7bbdd6c09590', X'afe3afcc7d548d7400422c5be4b511e0bce1daba79346fb923619e97110d7688',
  X'314e673a8187576cf4a45a7d09ea0fd2f3244559ad940e106ebb79829a90e72da11f6de4472df40602d0ad1f1c6c6e495d7eb276474a5ac6e2e1385014788704');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (23, '2026-02-03T09:45:27.000000000Z', 'o.martin', 'copy.purge', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-02-03T09:45:27.000000000Z","actor":"o.martin","role":"operator","action":"copy.purge","subject":"EXT-2026-0001","signer":"6a3803d5f059902a1c6dafbc9ba47292","data":{"copy":"CP-0001","files":1,"method":"overwrite-delete","standard":"NIST SP 800-88 Rev. 1 — Clear (overwrite; DoD 5220.22-M equivalent)","verified":true}}' AS BLOB),
  X'afe3afcc7d548d7400422c5be4b511e0bce1daba79346fb923619e97110d7688', X'b58f6d532547f176b7cb9470ec12907479a83dc553674fa3f66123c01c2a5e46',
  X'ff2754fb86ccc5cf5c6de52deae7fc7e0e9bcf917e769a60ddcf7a50ceb38773e83203423d266f902f8b14872e5afb5a971e2c23a7b3af6bcacb21e83d932308');
INSERT INTO entries (seq, time, actor, action, subject, body, prev, hash, sig) VALUES (24, '2026-02-03T09:46:03.000000000Z', 'o.martin', 'case.print', 'EXT-2026-0001',
  CAST('{"v":1,"time":"2026-02-03T09:46:03.000000000Z","actor":"o.martin","role":"operator","action":"case.print","subject":"EXT-2026-0001","signer":"6a3803d5f059902a1c6dafbc9ba47292","data":{"document":"sheet","format":"pdf"}}' AS BLOB),
  X'b58f6d532547f176b7cb9470ec12907479a83dc553674fa3f66123c01c2a5e46', X'8115640fa5ca7911a556eb9e0dafa394d7ded58cf9b8281c33a62623ae2e0dcb',
  X'e34660686f8c95dd671f1b3ac4af99eeb56d96f3b24e4c13f37fedc7f90ec37f1b30872146ed16e94932a4c1db9e5491966da5ce604c34312907ca62fae3a105');
INSERT INTO personal (seq, salt, data, until) VALUES (7, X'247dc4f1c764d043f6448caf020c445e', CAST('{"justification":"Plainte n° 2026/000123 pour vol ; images utiles à l''enquête.","recipient":"Commissariat de Villeurbanne","requester":{"contact":"04 72 00 00 00","name":"Léa Moreau","org":"Commissariat de Villeurbanne"}}' AS BLOB), '2031-01-05T09:15:44.000000000Z');
INSERT INTO personal (seq, salt, data, until) VALUES (8, X'8c71ebdf940b863749d4c79cb7c95751', CAST('{"with":"Léa Moreau"}' AS BLOB), '2031-01-05T09:21:03.000000000Z');
INSERT INTO personal (seq, salt, data, until) VALUES (11, X'8f8eed68bf88a41a2cb1b9b8e898c2b0', CAST('{"note":"Accord : deux caméras, 1 h 30."}' AS BLOB), '2031-01-05T10:52:30.000000000Z');
INSERT INTO personal (seq, salt, data, until) VALUES (17, X'2f05e48a1796f2a5bb4c98c06c39316c', CAST('{"recipient_id":"RIO 1234567","recipient_name":"Léa Moreau","recipient_org":"Commissariat de Villeurbanne"}' AS BLOB), '2031-01-06T14:30:00.000000000Z');
INSERT INTO personal (seq, salt, data, until) VALUES (19, X'93ae62ee4cdc4b523516cad438d0e65b', CAST('{}' AS BLOB), '2031-01-06T14:36:00.000000000Z');
INSERT INTO attachments (sha256, seq, name, data, until) VALUES (X'55730f5bc36a3361864d92d165f4f8a05b8574efb43560a4ceb25d51866587f2', 18, 'recu-EXT-2026-0001.pdf', X'255044462d312e340a25207265c3a7752064652072656d697365207369676ec3a92c204558542d323032362d303030312028766563746575722064652074657374290a2525454f460a', '2031-01-06T14:35:12.000000000Z');
INSERT INTO checkpoints (size, hash, time, note) VALUES (2, X'5d67950f4786fccf78efd1787bc7733b0226186932db5489bdf659a5408f031f', '2026-01-05T08:30:00.130000000Z', 'mileo-extract register 0badcafe
2
XWeVD0eG/M9479F4e8dzOwImGGky21SJvfZZpUCPAx8=
time 2026-01-05T08:30:00.130000000Z

— mileo-extract-0badcafe GnfklZVkb2oDn70wFRNSI6QpVzg2EE/XL0eEAxtmxAP9CyDDcqez3xIW/tPvCy+QCmispmmTox8GjUnqeQ4i2/VLngE=
');
INSERT INTO checkpoints (size, hash, time, note) VALUES (24, X'8115640fa5ca7911a556eb9e0dafa394d7ded58cf9b8281c33a62623ae2e0dcb', '2026-02-03T09:46:03.500000000Z', 'mileo-extract register 0badcafe
24
gRVkD6XKeRGlVuueDa+jlNfe1Yz5uCgcM6YmI64uDcs=
time 2026-02-03T09:46:03.500000000Z

— mileo-extract-0badcafe GnfklSrwenkrDtEncdOYcjlXwDnkndkCqc1NHiFNSLW5RJAQ2fakz7YdUF/5ct/V/B0Nh3ZIcu0UgUcQIGsj6sZjdww=
');
INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES ('a.durand', '$argon2id$v=19$m=64,t=1,p=1$mLTjml+wCs7cZQDrvJgrxw$YamC2B0Tj/Wa0MsffyZ4gZ7amJbs8ntsv0C8jjV8ZX8', '$argon2id$v=19$m=64,t=1,p=1$keyIAR5gRmGPSVD1KL78Sg', X'b4bcd2858a44ad7977ad2eb0779b7fc2493405189483aec893916f3e65706bc3c60faee836f41b2517ef484238553b76eb0dd4445499637bb7e18765', X'64a08e659c4e7500c83a60e453ee608de74d8cf4437e8a0779b7b1cf20532c8a', '2026-01-05T08:30:00.124000000Z');
INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES ('o.martin', '$argon2id$v=19$m=64,t=1,p=1$/HqAtEvO9sRQhmFAIYmA8A$sy8MgnRmQRfwAbBwCRTW0ZQkXVTs7hs+J6+Xp5//dJg', '$argon2id$v=19$m=64,t=1,p=1$voYOBe7NIWfIfI825wxuYw', X'1ddb51c440bd39c67f45400a25d8f227b6839e5be7056679c3eb7a9bc3cf6fc9d19bd7a97d0adef9d52d73be7f8c6bc763dbd90f084fbba78a740428', X'8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394', '2026-01-05T08:33:05.000000000Z');
INSERT INTO users (name, password, key_kdf, key_box, public_key, created) VALUES ('s.bernard', '$argon2id$v=19$m=64,t=1,p=1$TrPF1ZRa++pr2Axqlo1KqA$GcVwHsbW4H9nXFXXNv5ktwQ+XRPpj+i8LuT5EtfOvbY', '$argon2id$v=19$m=64,t=1,p=1$2vDNqNCfWN1tMWTjFEneWA', X'dadf1a8ae57bdbbbdc034f0b644d0e62ad07cbe825c8c395591db5e0de533b23f8ea70ceb7a0b950063b9628748371699ae041b65e95f3441bafb01a', X'6b734a8eff246fe734b38d4046c148eee5f04fe87b3a0a423955a77956de066b', '2026-01-05T08:32:40.000000000Z');
COMMIT;
