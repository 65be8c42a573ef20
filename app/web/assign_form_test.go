package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// TestAssignFormMistakeComesBackOnTheSameForm: a missing or impossible due
// date is answered with the same page (422), the message beside its field
// and what was typed kept, on the team page and the person page, and
// nothing is assigned.
func TestAssignFormMistakeComesBackOnTheSameForm(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		admin := o.client(t, "admin@example.com")
		course := strconv.FormatInt(o.courseID, 10)
		pages := []struct {
			page, column string
			id           int64
		}{
			{"/manage/teams/" + strconv.FormatInt(o.north.ID, 10), "team_id", o.north.ID},
			{"/manage/people/" + strconv.FormatInt(o.learner.ID, 10), "user_id", o.learner.ID},
		}
		cases := []struct {
			name, field, message string
			form                 url.Values
			kept                 string
		}{
			{"no due date", "days", "Give a due date or a number of days.", url.Values{"course": {course}}, ""},
			{"too many days", "days", "The number of days must be between 1 and 3650.", url.Values{"course": {course}, "days": {"9999"}}, `value="9999"`},
			{"both", "due", "Give either a due date or a number of days, not both.", url.Values{"course": {course}, "days": {"30"}, "due": {"2026-06-30"}}, `value="2026-06-30"`},
			{"past date", "due", "The due date has already passed.", url.Values{"course": {course}, "due": {"2020-01-01"}}, `value="2020-01-01"`},
			{"no course", "course", "Choose a course to assign.", url.Values{"days": {"30"}}, `value="30"`},
		}
		for _, p := range pages {
			for _, c := range cases {
				form := assignForm(t, admin, p.page, c.form)
				res := admin.Post(p.page+"/assignments", form)
				what := p.page + ": " + c.name
				mustStatus(t, what, res, http.StatusUnprocessableEntity)
				form2 := between(res.Body, `class="stack assign-form"`, `</form>`)
				mustContain(t, what, form2, "Nothing was assigned",
					`id="a-`+c.field+`" `, `aria-invalid="true" aria-describedby="a-`+c.field+`-err"`,
					`<p class="field-error" id="a-`+c.field+`-err">`+c.message+`</p>`,
					`name="key" value="`+form.Get("key")+`"`, c.kept)
				if c.field != "course" {
					mustContain(t, what, form2, `value="`+course+`" selected`)
				}
				if n := assignmentsTo(t, o, p.column, p.id); n != 0 {
					t.Fatalf("%s: %d assignments made", what, n)
				}
			}
			// Corrected, the same form (same key) assigns once.
			form := assignForm(t, admin, p.page, url.Values{"course": {course}})
			mustStatus(t, p.page+": missing", admin.Post(p.page+"/assignments", form), http.StatusUnprocessableEntity)
			form.Set("days", "30")
			mustStatus(t, p.page+": corrected", admin.Post(p.page+"/assignments", form), http.StatusSeeOther)
			if n := assignmentsTo(t, o, p.column, p.id); n != 1 {
				t.Fatalf("%s: %d assignments after the correction, want 1", p.page, n)
			}
		}
	})
}
