// Package pgserver starts a throwaway PostgreSQL server for the tests and
// benchmarks of the shared register, the way the MediaMTX tests start a
// real MediaMTX: initdb and pg_ctl (Debian's postgresql package, installed
// by make deps-test) in a temporary folder, listening on a unix socket only
// (listen_addresses = ”), stopped and removed by [Server.Stop].
//
// Run as root (the tests do, in the containers), initdb refuses to run:
// the server then runs as the postgres system user, its folder owned by
// it.
//
// The cluster has the roles of a real installation (docs/shared-register.md):
// mileo_owner, who owns the register's databases and runs the migrations,
// the group role mileo_writer the migrations grant to, and mileo_app, a
// login member of mileo_writer, for the application. [Server.NewDatabase]
// creates an empty database owned by mileo_owner and returns the URLs of
// both login roles.
package pgserver
