package register

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Files of the site key in the data folder.
const (
	SiteKeyFile      = "site.key"  // note signer key, 0600
	SiteVerifierFile = "site.vkey" // note verifier key, printed on sheets
)

// siteKey is the Ed25519 key of the installation. It signs checkpoints (as
// a golang.org/x/mod/sumdb/note signer) and the entries nobody is logged in
// for.
type siteKey struct {
	id       string // 8 hex digits, part of the key name
	name     string // note key name: "mileo-extract-<id>"
	priv     ed25519.PrivateKey
	pub      ed25519.PublicKey
	Signer   note.Signer
	verifier note.Verifier
	vkey     string
}

func siteKeyName(id string) string { return "mileo-extract-" + id }

func newSiteKey() (*siteKey, string, error) {
	var idb [4]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return nil, "", err
	}
	id := hex.EncodeToString(idb[:])
	skey, _, err := note.GenerateKey(rand.Reader, siteKeyName(id))
	if err != nil {
		return nil, "", err
	}
	k, err := parseSiteKey(skey)
	return k, skey, err
}

// parseSiteKey reads a note signer key "PRIVATE+KEY+<name>+<hash>+<key>".
func parseSiteKey(skey string) (*siteKey, error) {
	skey = strings.TrimSpace(skey)
	Signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("site key: %w", err)
	}
	parts := strings.SplitN(skey, "+", 5) // base64 may hold '+'
	if len(parts) != 5 {
		return nil, errors.New("site key: malformed")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("site key: not an Ed25519 note key")
	}
	priv := ed25519.NewKeyFromSeed(raw[1:])
	pub := priv.Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(Signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	name := Signer.Name()
	id, ok := strings.CutPrefix(name, "mileo-extract-")
	if !ok {
		return nil, fmt.Errorf("site key: unexpected name %q", name)
	}
	return &siteKey{id: id, name: name, priv: priv, pub: pub, Signer: Signer, verifier: verifier, vkey: vkey}, nil
}

func (k *siteKey) fingerprint() string { return Fingerprint(k.pub) }

func (k *siteKey) entrySigner() *Signer {
	return &Signer{actor: SystemActor, role: RoleSystem, fp: k.fingerprint(), priv: k.priv}
}

// loadSite reads the site key if the register was initialized.
func (s *Store) loadSite() error {
	b, err := os.ReadFile(filepath.Join(s.dir, SiteKeyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read site key: %w", err)
	}
	k, err := parseSiteKey(string(b))
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.site = k
	s.mu.Unlock()
	return nil
}

func (s *Store) siteKey() (*siteKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.site == nil {
		return nil, errorf(ErrNotInitialized, "err.register.not_initialized")
	}
	return s.site, nil
}

// writeSiteKey stores a new site key; it refuses to overwrite one.
func (s *Store) writeSiteKey(skey string, k *siteKey) error {
	p := filepath.Join(s.dir, SiteKeyFile)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return errorf(ErrAlreadyInitialized, "err.register.site_key_already", "Dir", s.dir)
	}
	if err != nil {
		return fmt.Errorf("write site key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write site key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(s.dir, SiteVerifierFile), []byte(k.vkey+"\n"), 0o600); err != nil {
		return fmt.Errorf("write site verifier key: %w", err)
	}
	s.mu.Lock()
	s.site = k
	s.mu.Unlock()
	return nil
}

// VerifierKey returns the note verifier key of the site, printed on every
// sheet so that checkpoints can be checked from paper.
func (s *Store) VerifierKey() (string, error) {
	k, err := s.siteKey()
	if err != nil {
		return "", err
	}
	return k.vkey, nil
}
