package register

import "mileo.tech/extract/internal/i18n"

// Operations checked against roles. The register checks them when an
// action is taken, and Verify checks them again for every entry.
const (
	OpManageUsers = "manage users"
	OpSettings    = "change settings"
	OpFile        = "file or confirm a request"
	OpAuthorize   = "authorize or refuse a request"
	OpHandle      = "export, deliver or close a case"
	OpPurge       = "declare purges and manage media"
	OpReadCase    = "read a case and print its sheet"
	OpReadAll     = "read and export the whole register"
	OpErase       = "erase personal data at the end of retention"
	OpIncident    = "assess and close incidents"
	OpLogin       = "log in"
	OpDesignate   = "designate a delegate"
	OpRecords     = "keep the record of processing (art. 30)"
)

var perms = map[string][]Role{
	OpManageUsers: {RoleAdmin},
	OpSettings:    {RoleAdmin},
	OpFile:        {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	// R-AUTH-1: only the security manager or the delegate authorize.
	OpAuthorize: {RoleSecurityManager, RoleDelegate},
	OpHandle:    {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	OpPurge:     {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	OpReadCase:  {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	// R-REG-5: the DPO reads the whole register at any time.
	OpReadAll: {RoleDPO, RoleSecurityManager, RoleDelegate},
	OpErase:   {RoleDPO},
	// R-INC-1: incidents are assessed and closed by their owner, the DPO
	// for a personal-data breach, the security manager (or delegate) else.
	OpIncident: {RoleDPO, RoleSecurityManager, RoleDelegate},
	OpLogin:    {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO, RoleAdmin},
	// R-AUTH-1: the delegate is designated by the security manager, not by
	// the admin who creates the account.
	OpDesignate: {RoleSecurityManager},
	// R-REG-5 (rev.): the DPO states the site's record of processing
	// (GDPR art. 30) that every export carries.
	OpRecords: {RoleDPO},
}

// May reports whether role r may perform operation op.
func (r Role) May(op string) bool {
	for _, x := range perms[op] {
		if x == r {
			return true
		}
	}
	return false
}

// Allow returns nil when role r may perform op, else the [ErrForbidden]
// error that names the role and the operation.
func (r Role) Allow(op string) error {
	if r.May(op) {
		return nil
	}
	return errorf(ErrForbidden, "err.user.forbidden", "Role", i18n.Key("role."+string(r)), "Op", i18n.Key(opKey(op)))
}

// actionOps maps each action a user can sign to the operation it needs;
// Verify refuses an entry whose signer's role lacks it. System actions are
// listed in systemActions.
var actionOps = map[string]string{
	"auth.login":           OpLogin,
	"user.add":             OpManageUsers,
	"user.disable":         OpManageUsers,
	"user.unlock":          OpManageUsers,
	"user.reset":           OpManageUsers, // R-KEY-1: a one-time password, the old key revoked
	"user.key":             OpLogin,       // R-KEY-1: the person's own key, made at first login
	"user.passwd":          OpLogin,       // R-KEY-1: the person's own password
	"settings.change":      OpSettings,
	"records.change":       OpRecords,
	"case.new":             OpFile,
	"case.confirm":         OpFile,
	"case.authorize":       OpAuthorize,
	"case.refuse":          OpAuthorize,
	"case.standin":         OpAuthorize, // R-AUTH-1: the delegate states the security manager is unavailable
	"delegate.designate":   OpDesignate,
	"delegate.revoke":      OpDesignate,
	"case.ack":             OpAuthorize,
	"case.extend":          OpAuthorize, // R-DL-1: extension of an access request's deadline
	"case.requisition":     OpFile,      // R-AUTH-2: the requisition is the authorization
	"case.export.start":    OpHandle,
	"case.export":          OpHandle,
	"case.export.fail":     OpHandle,
	"case.encrypt":         OpHandle,
	"case.anonymize":       OpHandle,
	"case.gaps":            OpHandle,
	"case.settle":          OpHandle, // R-ANON-2: a suspect of the final check looked at and found unreadable
	"case.deliver":         OpHandle,
	"case.attach":          OpHandle,
	"case.close":           OpHandle,
	"case.use_end":         OpHandle, // R-PRG-2: the end of the legitimate use, when it happens
	"case.judicial_closed": OpHandle, // R-PRG-2: the judicial procedure closed, as the authority says
	"case.print":           OpReadCase,
	"copy.track":           OpHandle,
	"copy.purge":           OpPurge,
	"media.add":            OpPurge,
	"media.destroy":        OpPurge,
	"incident":             OpLogin, // anyone may report an incident
	"incident.update":      OpIncident,
	"footage.view":         OpHandle, // R-ACC-1: every viewing is recorded
	"task.notify":          OpFile,
	"register.export":      OpReadAll,
	"personal.erase":       OpErase,
}

// systemActions are the only ones the site key signs (SPEC.md §3): the
// events nobody is logged in for, never a person's act. Verify narrows
// two of them further by their data (checkSystemData).
var systemActions = map[string]bool{
	"register.init": true,
	"user.add":      true, // only the first administrator, entry 2
	"auth.fail":     true,
	"auth.lock":     true,
	"incident":      true, // of the kinds of systemIncidents only
	"copy.purge":    true, // crypto-erase of a crashed job's working folder only
	"workdir.sweep": true,
}

// systemIncidents are the kinds of incident the site key signs: those the
// program finds by itself, at a login or a start, with nobody acting.
var systemIncidents = map[string]bool{
	"purge_overdue":      true,
	"account_locked":     true,
	"access_late":        true,
	"export_interrupted": true,
}
