// Package pgsql adapts pgx's database/sql driver to the register's SQL,
// written for SQLite: ? placeholders become $n, and writers take one
// advisory lock per transaction so that appends from several
// workstations keep one hash chain (issue #21).
package pgsql
