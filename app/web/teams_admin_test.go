package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestTeamMovePicksFromTeamsByPath: the move form offers every other team
// by its full path, never the team itself or one below it; a refused move
// comes back on the same form with the choice kept; a chosen team moves.
func TestTeamMovePicksFromTeamsByPath(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		desk, err := o.app.Store.CreateTeam(ctx, o.north.ID, "Desk", o.app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		admin := o.client(t, "admin@example.com")
		north := "/admin/teams/" + strconv.FormatInt(o.north.ID, 10)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }

		page := admin.Get(north)
		mustStatus(t, north, page, http.StatusOK)
		mustContain(t, north, page.Body, `<option value="`+id(o.south.ID)+`">Acme › South</option>`,
			`<option value="`+id(o.acme.ID)+`" selected>Acme</option>`)
		for _, own := range []int64{o.north.ID, desk.ID} {
			if strings.Contains(page.Body, `<option value="`+id(own)+`"`) {
				t.Fatalf("North's picker offers team %d, itself or below it:\n%s", own, page.Body)
			}
		}

		// Under its own subteam: refused, on the same page, Desk still chosen.
		res := admin.Post(north+"/move", url.Values{"parent": {id(desk.ID)}})
		mustStatus(t, "move under own subteam", res, http.StatusUnprocessableEntity)
		mustContain(t, "move under own subteam", res.Body, "cannot move under itself or one of its own subteams",
			`aria-invalid="true"`, `<h2>Rename or move</h2>`)
		// Desk is not offered, so nothing is selected but the page still
		// holds the form; a team name that is not a number is refused too.
		res = admin.Post(north+"/move", url.Values{"parent": {"north"}})
		mustStatus(t, "move under a word", res, http.StatusUnprocessableEntity)
		mustContain(t, "move under a word", res.Body, "Choose one of the teams in the list.")

		// Under South: done, and South › North is how the picker names it.
		res = admin.Post(north+"/move", url.Values{"parent": {id(o.south.ID)}})
		mustStatus(t, "move under South", res, http.StatusSeeOther)
		moved, err := o.app.Store.Team(ctx, o.north.ID)
		if err != nil {
			t.Fatal(err)
		}
		if moved.ParentID != o.south.ID {
			t.Fatalf("North's parent is %d, want South (%d)", moved.ParentID, o.south.ID)
		}
		other, err := o.app.Store.CreateTeam(ctx, 0, "Other", o.app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		page = admin.Get("/admin/teams/" + id(other.ID))
		mustContain(t, "Other's page", page.Body, `<option value="`+id(desk.ID)+`">Acme › South › North › Desk</option>`)
	})
}

// TestTeamManagerChosenFromASearch: an admin finds people by part of a name
// (a GET form, no JavaScript), and each match has its own Make manager
// button; pressing it makes that person a manager (a learner becomes a
// manager). Nobody matching is said on the same form; only admins search.
func TestTeamManagerChosenFromASearch(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		admin := o.client(t, "admin@example.com")
		south := "/admin/teams/" + strconv.FormatInt(o.south.ID, 10)

		res := admin.Get(south + "?find=" + url.QueryEscape("O'BRIEN"))
		mustStatus(t, "search", res, http.StatusOK)
		mustContain(t, "search", res.Body, `value="O&#39;BRIEN"`, `<input type="hidden" name="email" value="zoe@example.com">`,
			"Make manager<span")
		if strings.Contains(res.Body, "nora@example.com") {
			t.Fatalf("the search for O'Brien found Nora:\n%s", res.Body)
		}
		// Sami manages South already: named, without a button.
		res = admin.Get(south + "?find=sami")
		mustContain(t, "search for Sami", res.Body, "manages this team already")
		if strings.Contains(res.Body, `name="email" value="sami@example.com"><button`) {
			t.Fatalf("Sami, South's manager, is offered as a new one:\n%s", res.Body)
		}
		res = admin.Get(south + "?find=nobody-at-all")
		mustStatus(t, "search for nobody", res, http.StatusOK)
		mustContain(t, "search for nobody", res.Body, `value="nobody-at-all"`, `aria-invalid="true"`, "Nobody&#39;s name or email contains that")

		res = admin.Post(south+"/managers", url.Values{"email": {"zoe@example.com"}})
		mustStatus(t, "make Zoë manager", res, http.StatusSeeOther)
		ms, err := o.app.Store.Managers(ctx, o.south.ID)
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, m := range ms {
			found = found || m.ID == o.learner.ID
		}
		if !found {
			t.Fatalf("Zoë does not manage South: %v", ms)
		}
		u, err := o.app.Store.UserByID(ctx, o.learner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != "manager" {
			t.Fatalf("Zoë's role is %q, want manager", u.Role)
		}

		nora := o.client(t, "nora@example.com")
		mustStatus(t, "a manager's search", nora.Get(south+"?find=zoe"), http.StatusForbidden)

		// A deactivated person is never made a manager, even by a form the
		// page did not offer.
		ada, err := o.app.Store.UserByEmail(ctx, "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		noraRow, err := o.app.Store.UserByEmail(ctx, "nora@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.app.People.SetActive(ctx, store.Actor{ID: ada.ID}, noraRow.ID, false); err != nil {
			t.Fatal(err)
		}
		res = admin.Post(south+"/managers", url.Values{"email": {"nora@example.com"}})
		mustStatus(t, "make deactivated Nora manager", res, http.StatusConflict)
		if ms, err = o.app.Store.Managers(ctx, o.south.ID); err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.ID == noraRow.ID {
				t.Fatalf("deactivated Nora was made South's manager: %v", ms)
			}
		}
	})
}
