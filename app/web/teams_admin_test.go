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
