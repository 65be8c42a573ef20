package main

import (
	"context"
	"fmt"
	"io"
)

// migrateCmd applies pending migrations (under the same lock as start-up).
func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	e, err := open(ctx, "migrate", args, stderr, getenv)
	if err != nil {
		return err
	}
	defer e.db.Close()
	n, err := e.db.Pending(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is up to date (%s); %d migrations pending\n", e.db.Dialect, n)
	return nil
}
