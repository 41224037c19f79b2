package register

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"mileo.tech/extract/internal/edbatch"
)

// VerifyOptions add outside evidence to a verification.
type VerifyOptions struct {
	// Checkpoints are signed checkpoint notes from outside the database
	// (files, paper). Those of the database and of the checkpoints folder
	// are always used.
	Checkpoints [][]byte
	// SiteKey is the site verifier key as printed on paper; when set, the
	// register must have been created with it.
	SiteKey string
	// Checks are the checks of the packages built on the log, each used
	// by one verification: the procedure of each case, the accounts'
	// credentials (procedure.Store.Verify adds them).
	Checks []Check
	// OnProgress, when set, is told after each batch how many entries
	// were checked of how many the register holds (a long job shows its
	// progress; ctx cancels it).
	OnProgress func(done, total int64)
}

// Check is a check of a package built on the log, run by [Store.Verify]
// beside its own. Entry sees every entry in order, once its chain, body and
// signer are checked, and returns the problem or ""; Done runs after the
// last entry, in Verify's read-only transaction, and returns the problems
// it found.
type Check interface {
	Entry(e *Entry) string
	Done(ctx context.Context, q Querier) ([]*VerifyError, error)
}

// Report is the outcome of [Store.Verify].
type Report struct {
	Entries     int64
	Head        []byte // hash of the last entry
	Site        string
	SiteKey     string // note verifier key found in entry 1
	Checkpoints int    // checkpoints checked against the chain
	Largest     int64  // size of the largest valid checkpoint
	// Witness is the newest valid checkpoint kept outside the data folder
	// (the witness folder or a given one: paper, another location), nil
	// when none was checked. Truncation of the entries after it cannot be
	// proved: its age says how much could have been lost unseen
	// (R-REG-2 rev.).
	Witness        *Checkpoint
	PersonalErased int // personal records erased at the end of retention
	Problems       []*VerifyError
}

const maxProblems = 100

func (r *Report) add(seq int64, kind error, format string, a ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, &VerifyError{Seq: seq, Kind: kind, Msg: fmt.Sprintf(format, a...)})
	}
}

// Err returns the problem with the lowest entry number, or nil.
func (r *Report) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	p := r.Problems[0]
	for _, q := range r.Problems[1:] {
		if q.Seq < p.Seq {
			p = q
		}
	}
	return p
}

type pendingCheckpoint struct {
	cp       *Checkpoint
	where    string
	mismatch bool // the entry of its size has another hash
}

// Verify reads the whole register and checks, for every entry: that the
// numbers follow without gap, that the stored bytes hash to the stored
// hash, that each entry is chained to the previous one, that the body is
// canonical and matches the indexed columns, that it is signed by the key
// of the account it names, that the account had the role the action needs,
// that personal data still match their commitments (or were erased after
// their retention), and that every checkpoint (database, checkpoints
// folder, opt.Checkpoints) is signed by the site key and matches the chain
// — a checkpoint larger than the register proves truncation. It returns
// the report and the first problem as a [*VerifyError].
func (s *Store) Verify(ctx context.Context, opt VerifyOptions) (*Report, error) {
	rep := &Report{}
	tx, err := s.rdb.BeginTx(ctx, s.snapshot())
	if err != nil {
		return nil, s.pgError(fmt.Errorf("register: %w", err))
	}
	defer tx.Rollback()

	notes, where, err := s.storedCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	for i, n := range opt.Checkpoints {
		notes = append(notes, n)
		where = append(where, fmt.Sprintf("given checkpoint %d", i+1))
	}
	var cps []*pendingCheckpoint
	seen := map[string]*pendingCheckpoint{}
	for i, n := range notes {
		plain, _ := SplitKeyLine(n)
		if p, ok := seen[string(plain)]; ok {
			// The same note in the database and in a file: checked once,
			// named by where it is kept outside the data folder, if it is.
			if p != nil && outside(where[i]) {
				p.where = where[i]
			}
			continue
		}
		seen[string(plain)] = nil
		cp, err := ParseCheckpointNote(n)
		if err != nil {
			rep.add(0, ErrTampered, "%s: %v", where[i], err)
			continue
		}
		p := &pendingCheckpoint{cp: cp, where: where[i]}
		seen[string(plain)] = p
		cps = append(cps, p)
	}

	v := &verifier{s: s, rep: rep, roster: NewRoster(), checks: opt.Checks,
		personal: map[int64]*PersonalRef{}, erased: map[int64]time.Time{}, erasedAttach: map[string]time.Time{},
		attach: map[string]int64{}, attachUntil: map[string]string{}, copyKind: map[string]string{}, bySize: map[int64][]*pendingCheckpoint{}}
	for _, c := range cps {
		v.bySize[c.cp.Size] = append(v.bySize[c.cp.Size], c)
	}

	// Counted before the reader starts: one query at a time on the
	// transaction (PostgreSQL allows no other).
	var total int64
	if opt.OnProgress != nil {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries`).Scan(&total); err != nil {
			return nil, s.pgError(fmt.Errorf("register: count entries: %w", err))
		}
	}

	// Pipeline: a reader goroutine fetches batches of rows, this goroutine
	// checks the chain, the bodies and the semantics in order, and a pool
	// of workers checks the Ed25519 signatures of each batch at once
	// (internal/edbatch), the costliest part.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan rowBatch, 2)
	go readEntries(rctx, tx, batches)
	workers := runtime.GOMAXPROCS(0)
	sigs := make(chan *sigJob, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range sigs {
				for _, i := range edbatch.Invalid(j.items) {
					v.add(j.entries[i].Seq, ErrTampered, "bad signature by %s", j.entries[i].Actor)
				}
			}
		}()
	}
	var readErr error
	for b := range batches {
		if b.err != nil {
			readErr = b.err
			break
		}
		if err := ctx.Err(); err != nil {
			readErr = err
			break
		}
		sigs <- v.batch(b.es)
		if opt.OnProgress != nil {
			opt.OnProgress(v.n, max(total, v.n))
		}
	}
	close(sigs)
	wg.Wait()
	if readErr != nil {
		cancel()
		for range batches {
		}
		return nil, readErr
	}
	rep.Entries = v.n
	rep.Head = v.prev

	// Checkpoints: a checkpoint counts only once its signature verifies with
	// the site key; then it must match the chain, and one larger than the
	// register proves truncation.
	for _, c := range cps {
		if v.siteKey == "" {
			rep.add(c.cp.Size, ErrTampered, "%s cannot be checked: the register has no site key", c.where)
			continue
		}
		if _, err := OpenCheckpoint(c.cp.Note, v.siteKey); err != nil {
			rep.add(c.cp.Size, ErrTampered, "%s does not verify with the site key: %v", c.where, err)
			continue
		}
		switch {
		case c.cp.Size > v.n:
			rep.add(v.n+1, ErrTruncated, "missing: %s covers %d entries but the register holds %d (truncated after entry %d)",
				c.where, c.cp.Size, v.n, v.n)
		case c.mismatch:
			rep.add(c.cp.Size, ErrTampered, "differs from %s (history rewritten after the checkpoint was signed)", c.where)
		default:
			rep.Checkpoints++
			rep.Largest = max(rep.Largest, c.cp.Size)
			if outside(c.where) && (rep.Witness == nil || c.cp.Size > rep.Witness.Size) {
				rep.Witness = c.cp
			}
		}
	}

	if err := v.checkPersonal(ctx, tx); err != nil {
		return nil, err
	}
	if err := v.checkAttachments(ctx, tx); err != nil {
		return nil, err
	}
	for _, check := range opt.Checks {
		if v.n == 0 {
			break // nothing to check against: the register is empty
		}
		problems, err := check.Done(ctx, tx)
		if err != nil {
			return nil, err
		}
		for _, p := range problems {
			rep.add(p.Seq, p.Kind, "%s", p.Msg)
		}
	}
	if t := strings.TrimSpace(opt.SiteKey); t != "" && v.siteKey != "" && t != v.siteKey {
		rep.add(1, ErrTampered, "the register was created with site key %s, not with the given key %s", v.siteKey, strings.TrimSpace(opt.SiteKey))
	}
	if fk := readVKeyFile(s.dir); fk != "" && v.siteKey != "" && fk != v.siteKey {
		rep.add(1, ErrTampered, "the site key file %s does not match the key recorded in entry 1", SiteVerifierFile)
	}
	sort.SliceStable(rep.Problems, func(i, j int) bool { return rep.Problems[i].Seq < rep.Problems[j].Seq })
	if rep.Entries == 0 && len(rep.Problems) == 0 {
		return rep, errorf(ErrNotInitialized, "err.register.register_empty_was", "Dir", s.dir)
	}
	return rep, rep.Err()
}

func readVKeyFile(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, SiteVerifierFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

type rowEntry struct {
	Entry
	colTime, colActor, colAction, colSubject string
	key                                      ed25519.PublicKey
}

// rowBatch is a batch of entries read in order, or the error that stopped
// the reading.
type rowBatch struct {
	es  []rowEntry
	err error
}

// readBatch is the number of entries read, checked and verified together.
const readBatch = 2048

// readEntries reads the entries in order, in batches, and closes out. The
// blobs of a batch are copied into one arena rather than allocated one by
// one.
func readEntries(ctx context.Context, tx *sql.Tx, out chan<- rowBatch) {
	defer close(out)
	last := int64(0)
	send := func(b rowBatch) bool {
		select {
		case out <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		rows, err := tx.QueryContext(ctx, `SELECT seq, time, actor, action, subject, body, prev, hash, sig FROM entries WHERE seq > ? ORDER BY seq LIMIT ?`, last, readBatch)
		if err != nil {
			send(rowBatch{err: fmt.Errorf("register: read entries: %w", err)})
			return
		}
		es := make([]rowEntry, 0, readBatch)
		var arena []byte
		keep := func(b sql.RawBytes) []byte {
			if len(arena)+len(b) > cap(arena) {
				arena = make([]byte, 0, max(256<<10, len(b)))
			}
			n := len(arena)
			arena = append(arena, b...)
			return arena[n:len(arena):len(arena)]
		}
		var body, prev, hash, sig sql.RawBytes
		for rows.Next() {
			es = append(es, rowEntry{})
			r := &es[len(es)-1]
			if err := rows.Scan(&r.Seq, &r.colTime, &r.colActor, &r.colAction, &r.colSubject, &body, &prev, &hash, &sig); err != nil {
				rows.Close()
				send(rowBatch{err: fmt.Errorf("register: read entries: %w", err)})
				return
			}
			r.Raw, r.Prev, r.Hash, r.Sig = keep(body), keep(prev), keep(hash), keep(sig)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			send(rowBatch{err: fmt.Errorf("register: read entries: %w", err)})
			return
		}
		if len(es) == 0 || !send(rowBatch{es: es}) {
			return
		}
		last = es[len(es)-1].Seq
	}
}

// sigJob is the signatures of one batch, for a worker.
type sigJob struct {
	items   []edbatch.Item
	entries []*rowEntry
}

type verifier struct {
	// committed is set from the first user entry with a credentials
	// commitment (R-KEY-1): registers older than it added accounts with
	// their key, which stays valid in their older entries only.
	committed bool
	mu        sync.Mutex // guards rep.Problems: signature workers report too
	s         *Store
	rep       *Report
	n         int64  // entries seen
	prev      []byte // hash of the previous stored entry
	prevSeq   int64
	siteKey   string
	sitePub   ed25519.PublicKey
	siteFP    string
	roster    *Roster
	bySize    map[int64][]*pendingCheckpoint
	personal  map[int64]*PersonalRef
	erased    map[int64]time.Time // personal record → time of its erasure entry
	// erasedAttach maps an attachment hash to the time of its erasure entry.
	erasedAttach map[string]time.Time
	attach       map[string]int64  // attachment sha256 hex → entry
	attachUntil  map[string]string // attachment sha256 hex → retention date its entry implies
	copyKind     map[string]string // tracked copy id → kind (export, workdir, media)
	checks       []Check
	hasher       entryHasher
}

func (v *verifier) add(seq int64, kind error, format string, a ...any) {
	v.mu.Lock()
	v.rep.add(seq, kind, format, a...)
	v.mu.Unlock()
}

// batch checks a batch of entries in order — number, chain, hash, body,
// indexed columns, Signer and procedure — and returns its signatures for
// the workers.
func (v *verifier) batch(es []rowEntry) *sigJob {
	job := &sigJob{items: make([]edbatch.Item, 0, len(es)), entries: make([]*rowEntry, 0, len(es))}
	msgs := make([]byte, 0, len(es)*sigMessageSize)
	var sum [sha256.Size]byte
	for i := range es {
		e := &es[i]
		want := v.prevSeq + 1
		if e.Seq != want {
			if e.Seq > want {
				v.add(want, ErrTampered, "missing (deleted): the register jumps from entry %d to entry %d", want-1, e.Seq)
			} else {
				v.add(e.Seq, ErrTampered, "out of order")
			}
		}
		if v.prev == nil {
			v.prev = make([]byte, sha256.Size)
		}
		if !bytes.Equal(e.Prev, v.prev) {
			v.add(e.Seq, ErrTampered, "not chained to entry %d (entries deleted, inserted or reordered)", e.Seq-1)
		}
		if !bytes.Equal(v.hasher.sum(&sum, e.Seq, e.Prev, e.Raw), e.Hash) {
			v.add(e.Seq, ErrTampered, "its content does not match its hash (entry edited)")
		}
		for _, c := range v.bySize[e.Seq] {
			c.mismatch = !bytes.Equal(c.cp.Hash, e.Hash)
		}
		v.prev, v.prevSeq = e.Hash, e.Seq
		v.n++

		b, err := DecodeBody(e.Raw)
		if err != nil {
			v.add(e.Seq, ErrTampered, "unreadable body: %v", err)
			continue
		}
		e.Body = *b
		e.Time, _ = ParseTime(b.Time)
		if e.colTime != e.Body.Time || e.colActor != e.Actor || e.colAction != e.Action || e.colSubject != e.Subject {
			v.add(e.Seq, ErrTampered, "its indexed columns (time, actor, action, subject) differ from its signed content")
		}
		v.semantics(e)
		if e.key != nil {
			n := len(msgs)
			msgs = appendSigMessage(msgs, e.Hash)
			job.items = append(job.items, edbatch.Item{PublicKey: e.key, Message: msgs[n:len(msgs):len(msgs)], Signature: e.Sig})
			job.entries = append(job.entries, e)
		}
	}
	return job
}

func (v *verifier) semantics(e *rowEntry) {
	if e.Seq == 1 {
		var d InitData
		if e.Action != "register.init" || e.Decode(&d) != nil {
			v.add(1, ErrTampered, "the register does not start with register.init")
			return
		}
		k, err := parseVerifierKey(d.SiteKey)
		if err != nil {
			v.add(1, ErrTampered, "bad site key: %v", err)
			return
		}
		v.siteKey, v.sitePub, v.siteFP = d.SiteKey, k, Fingerprint(k)
		v.rep.Site, v.rep.SiteKey = d.Site, d.SiteKey
	}
	if e.Seq != 1 && e.Action == "register.init" {
		v.add(e.Seq, ErrTampered, "register.init after entry 1")
	}
	if e.Personal != nil {
		v.personal[e.Seq] = e.Personal
		if u, _ := ParseTime(e.Personal.Until); u.Before(e.Time.AddDate(RetentionYears, 0, 0)) {
			v.add(e.Seq, ErrTampered, "personal data retention shorter than %d years", RetentionYears)
		}
	}
	if e.Signer == v.siteFP && v.siteFP != "" {
		e.key = v.sitePub
		if e.Actor != SystemActor || e.Role != RoleSystem || !systemActions[e.Action] {
			v.add(e.Seq, ErrTampered, "action %s signed by the site key", e.Action)
		}
		if e.Action == "user.add" && e.Seq != 2 {
			v.add(e.Seq, ErrTampered, "only the first administrator is created by the system")
		}
		if msg := v.checkSystemData(e); msg != "" {
			v.add(e.Seq, ErrTampered, "%s", msg)
		}
	} else {
		k := v.roster.Key(e.Signer)
		if e.Action == "user.key" {
			k = v.newKey(e)
		}
		if k == nil {
			v.add(e.Seq, ErrTampered, "signed by an unknown key %s", e.Signer)
			return
		}
		u := v.roster.Signatory(k.Owner)
		switch {
		case !k.ValidAt(e.Seq):
			v.add(e.Seq, ErrTampered, "signed by the key %s of %s, revoked at entry %d (R-KEY-1)", k.Fingerprint, k.Owner, k.Revoked)
		case u.Name != e.Actor:
			v.add(e.Seq, ErrTampered, "signed by %s but names %s as actor", u.Name, e.Actor)
		case u.Role != e.Role:
			v.add(e.Seq, ErrTampered, "%s acts as %s but has the role %s", e.Actor, e.Role, u.Role)
		case u.Disabled:
			v.add(e.Seq, ErrTampered, "signed by the disabled account %s", e.Actor)
		}
		e.key = k.Public
		op, known := actionOps[e.Action]
		if !known {
			v.add(e.Seq, ErrTampered, "unknown action %q", e.Action)
		} else if !u.Role.May(op) {
			v.add(e.Seq, ErrTampered, "%s (%s) may not %s", e.Actor, u.Role, op)
		}
	}
	switch e.Action {
	case "user.add", "user.key", "user.passwd", "user.reset", "user.disable":
		var d UserData
		if err := e.Decode(&d); err != nil {
			v.add(e.Seq, ErrTampered, "%v", err)
			return
		}
		if e.Action == "user.add" && v.roster.Signatory(d.User) != nil {
			v.add(e.Seq, ErrTampered, "user %s added twice", d.User)
			return
		}
		if msg := v.checkUserEntry(e, &d); msg != "" {
			v.add(e.Seq, ErrTampered, "%s", msg)
			return
		}
		if err := v.roster.Apply(&e.Entry); err != nil {
			v.add(e.Seq, ErrTampered, "%v", err)
			return
		}
	case "personal.erase":
		var d EraseData
		if err := e.Decode(&d); err != nil {
			v.add(e.Seq, ErrTampered, "%v", err)
			return
		}
		for _, seq := range d.Entries {
			v.erased[seq] = e.Time
		}
		for _, h := range d.Attachments {
			v.erasedAttach[h] = e.Time
		}
	case "copy.track":
		var d struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		}
		if e.Decode(&d) == nil {
			v.copyKind[d.ID] = d.Kind
		}
	case "case.attach":
		var d AttachData
		if e.Decode(&d) == nil {
			v.attach[d.SHA256] = e.Seq
			v.attachUntil[d.SHA256] = FormatTime(e.Time.AddDate(RetentionYears, 0, 0))
		}
	}
	for _, c := range v.checks {
		if msg := c.Entry(&e.Entry); msg != "" {
			v.add(e.Seq, ErrTampered, "%s", msg)
		}
	}
}

// newKey is the key a user.key entry publishes, which signs it (the
// person's first act with it), or nil when it does not name its signer.
func (v *verifier) newKey(e *rowEntry) *Key {
	var d UserData
	if e.Decode(&d) != nil || d.Fingerprint != e.Signer || v.roster.Signatory(d.User) == nil {
		return nil
	}
	pub, err := decodePublicKey(d.PublicKey)
	if err != nil || Fingerprint(pub) != e.Signer {
		return nil
	}
	return &Key{Owner: d.User, Public: pub, Fingerprint: e.Signer, From: e.Seq}
}

// checkUserEntry checks the key lifecycle of an account (R-KEY-1): a key
// is made by its owner only while the account awaits it, and never twice;
// a password is changed by its owner only; an administrator resets
// another's account, revoking its current key. It returns the problem, or
// "".
func (v *verifier) checkUserEntry(e *rowEntry, d *UserData) string {
	u := v.roster.Signatory(d.User)
	if e.Action == "user.add" {
		switch {
		case e.Seq == 2 && d.Role != RoleAdmin:
			return fmt.Sprintf("the first account %s is not an administrator", d.User)
		case e.Seq != 2 && (v.committed || d.Credentials != "") && (d.PublicKey != "" || d.Fingerprint != ""):
			return fmt.Sprintf("user.add of %s carries a key: an account makes its own at its first login (R-KEY-1)", d.User)
		}
	}
	if d.Credentials != "" {
		v.committed = true
	}
	if e.Action == "user.add" || u == nil {
		if u == nil && e.Action != "user.add" {
			return fmt.Sprintf("%s of %s, who was never added", e.Action, d.User)
		}
		return ""
	}
	switch e.Action {
	case "user.key":
		switch {
		case e.Actor != d.User:
			return fmt.Sprintf("the key of %s published by %s", d.User, e.Actor)
		case u.Key != nil:
			return fmt.Sprintf("a second key for %s without a reset", d.User)
		case v.roster.Key(d.Fingerprint) != nil:
			return fmt.Sprintf("the key %s published again", d.Fingerprint)
		}
	case "user.passwd":
		if e.Actor != d.User {
			return fmt.Sprintf("the password of %s changed by %s", d.User, e.Actor)
		}
	case "user.reset":
		switch {
		case e.Actor == d.User:
			return fmt.Sprintf("%s reset their own account", d.User)
		case u.Key != nil && d.Revoked != u.Key.Fingerprint:
			return fmt.Sprintf("the reset of %s does not name the key it revokes", d.User)
		}
	}
	return ""
}

func (v *verifier) checkPersonal(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, salt, data, until FROM personal ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("register: read personal data: %w", err)
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var seq int64
		var salt, data []byte
		var until string
		if err := rows.Scan(&seq, &salt, &data, &until); err != nil {
			return err
		}
		seen[seq] = true
		ref := v.personal[seq]
		if ref == nil {
			v.add(seq, ErrTampered, "personal data stored for an entry that has none")
			continue
		}
		if until != ref.Until {
			v.add(seq, ErrTampered, "the retention date of its personal data was changed")
		}
		if data == nil {
			t, ok := v.erased[seq]
			u, _ := ParseTime(ref.Until)
			switch {
			case !ok:
				v.add(seq, ErrTampered, "its personal data were erased without a personal.erase entry")
			case t.Before(u):
				v.add(seq, ErrTampered, "its personal data were erased before the end of retention (%s)", ref.Until)
			default:
				v.rep.PersonalErased++
			}
			continue
		}
		if PersonalCommit(salt, data) != ref.Commit {
			v.add(seq, ErrTampered, "its personal data do not match their commitment (edited)")
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for seq := range v.personal {
		if !seen[seq] {
			v.add(seq, ErrTampered, "its personal data are missing (deleted)")
		}
	}
	return nil
}

func (v *verifier) checkAttachments(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT sha256, seq, data, until FROM attachments`)
	if err != nil {
		return fmt.Errorf("register: read attachments: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var sum, data []byte
		var seq int64
		var until string
		if err := rows.Scan(&sum, &seq, &data, &until); err != nil {
			return err
		}
		h := hex.EncodeToString(sum)
		seen[h] = true
		if v.attach[h] != seq {
			v.add(seq, ErrTampered, "attachment %s is not the one this entry attached", h)
			continue
		}
		// Its retention date is not stored in the signed entry: it is
		// the entry's signed time plus the retention period (SPEC.md).
		if until != v.attachUntil[h] {
			v.add(seq, ErrTampered, "the retention date of attachment %s was changed", h)
		}
		if data == nil {
			t, ok := v.erasedAttach[h]
			u, _ := ParseTime(v.attachUntil[h])
			switch {
			case !ok:
				v.add(seq, ErrTampered, "attachment %s erased without a personal.erase entry", h)
			case t.Before(u):
				v.add(seq, ErrTampered, "attachment %s erased before the end of its retention (%s)", h, v.attachUntil[h])
			}
			continue
		}
		if got := sha256.Sum256(data); !bytes.Equal(got[:], sum) {
			v.add(seq, ErrTampered, "attachment %s was edited", h)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for h, seq := range v.attach {
		if !seen[h] {
			v.add(seq, ErrTampered, "attachment %s is missing", h)
		}
	}
	return nil
}

// parseVerifierKey extracts the Ed25519 key of a note verifier key
// "<name>+<hash>+<base64(0x01 ‖ key)>".
func parseVerifierKey(vkey string) (ed25519.PublicKey, error) {
	parts := strings.SplitN(vkey, "+", 3) // base64 may hold '+'
	if len(parts) != 3 {
		return nil, errors.New("not a verifier key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 1 {
		return nil, errors.New("not an Ed25519 verifier key")
	}
	return ed25519.PublicKey(raw[1:]), nil
}

// checkSystemData narrows what the site key may sign by the entry's data
// (SPEC.md §3): an incident only of an overdue purge, a purge only the
// crypto-erase of a crashed job's working folder. It returns the problem,
// or "".
func (v *verifier) checkSystemData(e *rowEntry) string {
	switch e.Action {
	case "incident":
		var d struct {
			Kind string `json:"kind"`
		}
		if e.Decode(&d) != nil || !systemIncidents[d.Kind] {
			return fmt.Sprintf("the site key signed an incident of kind %q: only overdue purges, locked accounts, late access answers and interrupted exports are system incidents", d.Kind)
		}
	case "copy.purge":
		var d struct {
			Copy   string `json:"copy"`
			Method string `json:"method"`
		}
		if e.Decode(&d) != nil || d.Method != "crypto-erase" || v.copyKind[d.Copy] != "workdir" {
			return fmt.Sprintf("the site key signed the purge of copy %s (%s, %s): only working folders of crashed jobs are crypto-erased by the system", d.Copy, v.copyKind[d.Copy], d.Method)
		}
	}
	return ""
}

// outside reports whether a checkpoint's origin lies outside the data
// folder: the witness folder or one given to verify.
func outside(where string) bool {
	return strings.HasPrefix(where, witnessPrefix) || strings.HasPrefix(where, "given checkpoint")
}

// snapshot are the options of a read transaction that sees one state of
// the register throughout (SQLite's deferred transaction does).
func (s *Store) snapshot() *sql.TxOptions {
	if s.pg {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: true}
}
