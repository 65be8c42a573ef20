package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

func TestValidUsername(t *testing.T) {
	for name, ok := range map[string]bool{
		"kai.till": true, "k1": true, "ana_b-2": true, "jośe": true,
		"k": false, "": false, "Kai": false, "kai till": false, "kai@till": false, "kai+1": false,
		"a234567890123456789012345678901234567890123456789012345678901234":  true,
		"a2345678901234567890123456789012345678901234567890123456789012345": false,
	} {
		if got := store.ValidUsername(name); got != ok {
			t.Errorf("ValidUsername(%q) = %v, want %v", name, got, ok)
		}
	}
	for in, want := range map[string]string{" Kai.Till ": "kai.till", "KAI@Example.COM": "kai@example.com"} {
		if got := store.NormaliseIdentifier(in); got != want {
			t.Errorf("NormaliseIdentifier(%q) = %q, want %q", in, got, want)
		}
	}
}

// People with a username and no email (stored as NULL), an email only, or
// both: each is found by what they sign in with, names collide only on the
// same email or the same username, and the people search matches usernames.
func TestUsersByUsernameAndEmail(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		kai := &store.User{Name: "Kai Till", Username: " Kai.Till ", Role: "learner", Active: true, CreatedAt: t0}
		if err := st.CreateUser(ctx, kai); err != nil {
			t.Fatal(err)
		}
		ana := &store.User{Name: "Ana Both", Email: "Ana@Example.com", Username: "ana", Role: "learner", Active: true, CreatedAt: t0}
		if err := st.CreateUser(ctx, ana); err != nil {
			t.Fatal(err)
		}
		// A second person with no email: NULLs do not collide.
		bulk := []store.User{
			{Name: "Bo Only", Username: "bo", Role: "learner", Active: true, CreatedAt: t0},
			{Name: "Cy Mail", Email: "cy@example.com", Role: "learner", Active: true, CreatedAt: t0},
		}
		if err := st.InsertUsers(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		if bulk[0].ID == 0 || bulk[1].ID == 0 {
			t.Fatalf("InsertUsers set no IDs: %+v", bulk)
		}
		for ident, want := range map[string]int64{"KAI.TILL": kai.ID, "kai.till": kai.ID, "ana": ana.ID, "ana@example.com": ana.ID, "BO": bulk[0].ID, "cy@example.com": bulk[1].ID} {
			u, err := st.UserByIdentifier(ctx, ident)
			if err != nil || u.ID != want {
				t.Errorf("UserByIdentifier(%q) = %+v, %v; want user %d", ident, u, err, want)
			}
		}
		if _, err := st.UserByIdentifier(ctx, "cy"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the local part of an email found someone: %v", err)
		}
		got, err := st.UserByID(ctx, kai.ID)
		if err != nil || got.Email != "" || got.Username != "kai.till" || got.Identifier() != "kai.till" || got.HasEmail() {
			t.Fatalf("kai = %+v, %v", got, err)
		}
		var null int
		if err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email IS NULL").Scan(&null); err != nil || null != 2 {
			t.Errorf("%d people stored with a NULL email, want 2 (%v)", null, err)
		}

		for _, u := range []*store.User{
			{Name: "Kai Two", Username: "KAI.till", Role: "learner", Active: true, CreatedAt: t0},
			{Name: "Ana Two", Email: "ana@example.com", Username: "ana2", Role: "learner", Active: true, CreatedAt: t0},
		} {
			if err := st.CreateUser(ctx, u); !errors.Is(err, store.ErrConflict) {
				t.Errorf("%s: %v, want ErrConflict", u.Name, err)
			}
		}
		if us, err := st.UsersByUsernames(ctx, []string{"Bo", "nobody", "ana"}); err != nil || len(us) != 2 {
			t.Errorf("UsersByUsernames = %+v, %v", us, err)
		}
		if page, _, err := st.SearchPeople(ctx, store.PeopleFilter{Query: "I.TI"}); err != nil || len(page) != 1 || page[0].ID != kai.ID {
			t.Errorf("search for a part of a username: %+v, %v", page, err)
		}
		if rows, _, err := st.UserPage(ctx, store.UserQuery{Username: "ANA", Limit: 10}); err != nil || len(rows) != 1 || rows[0].ID != ana.ID {
			t.Errorf("UserPage by username: %+v, %v", rows, err)
		}

		// A username given, changed; the staff import's update keeps it
		// when the file gives none.
		if err := st.UpdatePerson(ctx, kai.ID, "Kai Till", "learner", "K.T"); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdatePerson(ctx, kai.ID, "Kai T", "learner", ""); err != nil {
			t.Fatal(err)
		}
		if got, err := st.UserByUsername(ctx, "k.t"); err != nil || got.Name != "Kai T" {
			t.Errorf("after the updates: %+v, %v", got, err)
		}
	})
}
