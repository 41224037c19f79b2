package register

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// InitData is the data of register.init, entry 1: the root of trust.
type InitData struct {
	Site     string `json:"site"`
	SiteID   string `json:"site_id"`
	SiteKey  string `json:"site_key"` // note verifier key
	Software string `json:"software"`
}

// Initialized reports whether Init has run.
func (s *Store) Initialized() bool {
	_, err := s.siteKey()
	return err == nil
}

// Init creates the site key and the register's first entry
// (register.init, signed by the site key), then calls first in the same
// transaction with the site key's signer: package account creates the
// first administrator there (entry 2, the only user.add the site key may
// sign). It refuses when the register already exists, and keeps nothing
// (entries or key files) when first fails.
func (s *Store) Init(ctx context.Context, site string, first func(tx *sql.Tx, sys *Signer) error) error {
	site = strings.TrimSpace(site)
	if site == "" {
		return errorf(ErrInvalid, "err.user.site_name_required")
	}
	if s.Initialized() {
		return errorf(ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", s.dir)
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries`).Scan(&n); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if n > 0 {
		return errorf(ErrAlreadyInitialized, "err.user.register_already_has", "Dir", s.dir)
	}
	k, skey, err := newSiteKey()
	if err != nil {
		return err
	}
	if err := s.writeSiteKey(skey, k); err != nil {
		return err
	}
	undo := func() {
		os.Remove(filepath.Join(s.dir, SiteKeyFile))
		os.Remove(filepath.Join(s.dir, SiteVerifierFile))
		s.mu.Lock()
		s.site = nil
		s.mu.Unlock()
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		h, err := ReadHead(ctx, tx)
		if err != nil {
			return err
		}
		if h.Seq != 0 {
			return errorf(ErrAlreadyInitialized, "err.user.register_already_initialized", "Dir", s.dir)
		}
		sys := k.entrySigner()
		if _, err := s.AppendTx(ctx, tx, sys, Record{Action: "register.init", Subject: "site",
			Data: InitData{Site: site, SiteID: k.id, SiteKey: k.vkey, Software: s.soft}}); err != nil {
			return err
		}
		return first(tx, sys)
	})
	if err != nil {
		undo()
		return err
	}
	_, err = s.WriteCheckpoint(ctx)
	return err
}
