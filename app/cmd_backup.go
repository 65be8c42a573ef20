package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
)

// databaseFlag reads the database URL for backup and restore: --database,
// else FRONTLINE_DATABASE_URL, else the default file. They never open the
// database through open(), which would run migrations: a backup must copy
// what is there, and an older binary must not upgrade a live file.
func databaseFlag(name string, args []string, stderr io.Writer, getenv func(string) string) (*flag.FlagSet, *string, *bool, error) {
	cfg, err := config.Load(nil, getenv)
	if err != nil {
		return nil, nil, nil, err
	}
	fl := flag.NewFlagSet("frontline "+name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	dsn := fl.String("database", cfg.DatabaseURL, "the SQLite database (FRONTLINE_DATABASE_URL)")
	var checkOnly *bool
	if name == "restore" {
		checkOnly = fl.Bool("check", false, "only check the backup; change nothing")
	}
	if err := fl.Parse(args); err != nil {
		return nil, nil, nil, err
	}
	if fl.NArg() != 1 {
		return nil, nil, nil, fmt.Errorf("usage: frontline %s FILE (see frontline help)", name)
	}
	return fl, dsn, checkOnly, nil
}

// backupCmd copies the SQLite database to a new file while the server runs.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fl, dsn, _, err := databaseFlag("backup", args, stderr, getenv)
	if err != nil {
		return err
	}
	src, err := database.SQLitePath(*dsn)
	if err != nil {
		return err
	}
	dest := fl.Arg(0)
	if err := database.Backup(ctx, src, dest); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (checked: integrity ok)\n", src, dest)
	return nil
}

// restoreCmd checks a backup and puts it in place of the database, which
// no process may have open.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fl, dsn, checkOnly, err := databaseFlag("restore", args, stderr, getenv)
	if err != nil {
		return err
	}
	backup := fl.Arg(0)
	rep, err := database.Check(ctx, backup)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: integrity ok, %d migrations applied", backup, rep.Applied)
	if len(rep.Pending) > 0 {
		fmt.Fprintf(stdout, ", %d to apply at the next start", len(rep.Pending))
	}
	fmt.Fprintln(stdout)
	if *checkOnly {
		return nil
	}
	target, err := database.SQLitePath(*dsn)
	if err != nil {
		if errors.Is(err, database.ErrPostgresBackup) {
			return fmt.Errorf("%s is an SQLite backup, but the database is PostgreSQL: %w", backup, err)
		}
		return err
	}
	saved, err := database.Restore(ctx, backup, target, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", target, backup)
	if saved != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", saved)
	}
	return nil
}
