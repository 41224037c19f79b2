package register

// Operations checked against roles. The register checks them when an
// action is taken, and Verify checks them again for every entry.
const (
	opManageUsers = "manage users"
	opSettings    = "change settings"
	opFile        = "file or confirm a request"
	opAuthorize   = "authorize or refuse a request"
	opHandle      = "export, deliver or close a case"
	opPurge       = "declare purges and manage media"
	opReadCase    = "read a case and print its sheet"
	opReadAll     = "read and export the whole register"
	opErase       = "erase personal data at the end of retention"
	opLogin       = "log in"
)

var perms = map[string][]Role{
	opManageUsers: {RoleAdmin},
	opSettings:    {RoleAdmin},
	opFile:        {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	// R-AUTH-1: only the security manager or the delegate authorize.
	opAuthorize: {RoleSecurityManager, RoleDelegate},
	opHandle:    {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	opPurge:     {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	opReadCase:  {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO},
	// R-REG-5: the DPO reads the whole register at any time.
	opReadAll: {RoleDPO, RoleSecurityManager, RoleDelegate},
	opErase:   {RoleDPO},
	opLogin:   {RoleOperator, RoleSecurityManager, RoleDelegate, RoleDPO, RoleAdmin},
}

// May reports whether role r may perform operation op.
func (r Role) may(op string) bool {
	for _, x := range perms[op] {
		if x == r {
			return true
		}
	}
	return false
}

// actionOps maps each action a user can sign to the operation it needs;
// Verify refuses an entry whose signer's role lacks it. System actions are
// listed in systemActions.
var actionOps = map[string]string{
	"auth.login":        opLogin,
	"user.add":          opManageUsers,
	"user.disable":      opManageUsers,
	"user.unlock":       opManageUsers,
	"settings.change":   opSettings,
	"case.new":          opFile,
	"case.confirm":      opFile,
	"case.authorize":    opAuthorize,
	"case.refuse":       opAuthorize,
	"case.ack":          opAuthorize,
	"case.requisition":  opFile, // R-AUTH-2: the requisition is the authorization
	"case.export.start": opHandle,
	"case.export":       opHandle,
	"case.export.fail":  opHandle,
	"case.encrypt":      opHandle,
	"case.anonymize":    opHandle,
	"case.gaps":         opHandle,
	"case.deliver":      opHandle,
	"case.attach":       opHandle,
	"case.close":        opHandle,
	"case.print":        opReadCase,
	"copy.track":        opHandle,
	"copy.purge":        opPurge,
	"media.add":         opPurge,
	"media.destroy":     opPurge,
	"incident":          opLogin, // anyone may report an incident
	"task.notify":       opFile,
	"register.export":   opReadAll,
	"personal.erase":    opErase,
}

// systemActions are signed by the site key.
var systemActions = map[string]bool{
	"register.init":   true,
	"user.add":        true, // only the first administrator, entry 2
	"auth.fail":       true,
	"auth.lock":       true,
	"incident":        true,
	"copy.track":      true, // leftovers found at start-up
	"copy.purge":      true, // crypto-erase of crashed jobs' working files
	"task.notify":     true,
	"workdir.sweep":   true,
	"register.opened": true,
}
