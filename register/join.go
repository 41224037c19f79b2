package register

import (
	"context"
	"strings"
)

// JoinSite installs the site key of a shared register in this
// workstation's data folder, so that it can sign the system entries and
// the checkpoints like the workstation that created the register
// (docs/shared-register.md). skey is the content of that workstation's
// site.key file, brought by the administrator; it must be the key entry 1
// (register.init) names. It refuses a data folder that has a site key.
func (s *Store) JoinSite(ctx context.Context, skey []byte) error {
	if s.Initialized() {
		return errorf(ErrAlreadyInitialized, "err.register.site_key_already", "Dir", s.dir)
	}
	k, err := parseSiteKey(string(skey))
	if err != nil {
		return errorf(ErrInvalid, "err.register.join_bad_key")
	}
	es, err := EntriesByAction(ctx, s.rdb, "register.init")
	if err != nil {
		return s.pgError(err)
	}
	if len(es) == 0 {
		return errorf(ErrNotInitialized, "err.register.not_initialized")
	}
	var d InitData
	if err := es[0].Decode(&d); err != nil {
		return err
	}
	if d.SiteKey != k.vkey {
		return errorf(ErrInvalid, "err.register.join_wrong_key", "Site", d.Site)
	}
	return s.writeSiteKey(strings.TrimSpace(string(skey)), k)
}

// checkSite refuses a data folder whose site key is not the one entry 1
// of the shared register names (the folder of another register, of
// another site): its system entries and checkpoints would not verify.
func (s *Store) checkSite(ctx context.Context) error {
	k, err := s.siteKey()
	if err != nil {
		return nil // no key yet: register join installs it
	}
	es, err := EntriesByAction(ctx, s.rdb, "register.init")
	if err != nil || len(es) == 0 {
		return s.pgError(err) // an empty register: Init or CopyTo fills it
	}
	var d InitData
	if err := es[0].Decode(&d); err != nil {
		return err
	}
	if d.SiteKey != k.vkey {
		return errorf(ErrInvalid, "err.register.site_key_mismatch", "Dir", s.dir, "Site", d.Site)
	}
	return nil
}
