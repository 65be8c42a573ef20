package main

import (
	"context"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// openStore opens the server's database; the server has migrated it.
func openStore(ctx context.Context, dsn string) (*store.Store, func(), error) {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	return store.New(db), func() { db.Close() }, nil
}
