package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// An assignment made above a manager's teams is theirs to keep; one they
// made, they may end; one that does not reach the page's team does not exist
// there. Each removal is in the audit log with who ended it.
func TestAssignmentRemovalFollowsScopeAndIsAudited(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		north := "/manage/teams/" + strconv.FormatInt(o.north.ID, 10)
		south := "/manage/teams/" + strconv.FormatInt(o.south.ID, 10)
		course := strconv.FormatInt(o.courseID, 10)
		admin := o.client(t, "admin@example.com")
		nora := o.client(t, "nora@example.com")

		mustStatus(t, "admin assigns Acme", admin.Post(acme+"/assignments", assignForm(t, admin, acme, url.Values{"course": {course}, "days": {"30"}})), http.StatusSeeOther)
		mustStatus(t, "Nora assigns North", nora.Post(north+"/assignments", assignForm(t, nora, north, url.Values{"course": {course}, "days": {"14"}})), http.StatusSeeOther)
		byTeam := map[int64]int64{}
		for _, team := range []*store.Team{o.acme, o.north} {
			as, err := o.app.Store.AssignmentsCovering(ctx, team)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				byTeam[a.TeamID] = a.ID
			}
		}
		above, own := strconv.FormatInt(byTeam[o.acme.ID], 10), strconv.FormatInt(byTeam[o.north.ID], 10)

		mustStatus(t, "Nora ends Acme's", nora.Post(north+"/assignments/"+above+"/remove", nil), http.StatusForbidden)
		mustStatus(t, "North's through South's page", admin.Post(south+"/assignments/"+own+"/remove", nil), http.StatusNotFound)
		mustStatus(t, "Nora ends her own", nora.Post(north+"/assignments/"+own+"/remove", nil), http.StatusSeeOther)
		mustStatus(t, "twice", nora.Post(north+"/assignments/"+own+"/remove", nil), http.StatusNotFound)

		as, err := o.app.Store.AssignmentsCovering(ctx, o.north)
		if err != nil || len(as) != 1 || as[0].TeamID != o.acme.ID {
			t.Fatalf("assignments reaching North after the removal = %+v, %v", as, err)
		}
		log, _, err := o.app.Store.AuditLog(ctx, store.AuditQuery{Action: "assignment.remove", Limit: 10})
		if err != nil || len(log) != 1 || log[0].ActorEmail != "nora@example.com" || log[0].Target != "team:"+strconv.FormatInt(o.north.ID, 10) {
			t.Fatalf("removal audit = %+v, %v", log, err)
		}
	})
}
