package staff_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
)

// TestPreviewKeepsAnActiveAdmin: whoever imports, a file that would leave
// no active admin cannot be applied; one that makes another admin can.
func TestPreviewKeepsAnActiveAdmin(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		ada := &store.User{Name: "Ada Admin", Email: "ada@example.com", Role: "admin", Active: true, CreatedAt: time.Now()}
		if err := st.CreateUser(ctx, ada); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			file string
			by   int64
			want []string // problems, by line and reason
		}{
			{"the last admin demoted", "Ada Admin,ada@example.com,Acme,learner,", 0,
				[]string{"0: the file would leave no active admin"}},
			{"the last admin deactivated", "Ada Admin,ada@example.com,Acme,admin,no", 0,
				[]string{"0: the file would leave no active admin"}},
			{"the importer demoted", "Ada Admin,ada@example.com,Acme,trainer,", ada.ID,
				[]string{"2: this line would take the admin role from you", "0: the file would leave no active admin"}},
			{"another admin made", "Ada Admin,ada@example.com,Acme,learner,\nBo Admin,bo@example.com,Acme,admin,", 0, nil},
			{"another admin made but inactive", "Ada Admin,ada@example.com,Acme,learner,\nBo Admin,bo@example.com,Acme,admin,no", 0,
				[]string{"0: the file would leave no active admin"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rows, problems := staff.Parse(strings.NewReader("name,email,team,role,active\n" + tc.file + "\n"))
				if len(problems) > 0 {
					t.Fatal(problems)
				}
				p, err := staff.Preview(ctx, st, rows, tc.by)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Problems) != len(tc.want) {
					t.Fatalf("problems %v, want %v", p.Problems, tc.want)
				}
				for i, w := range tc.want {
					line, reason, _ := strings.Cut(w, ": ")
					if got := p.Problems[i]; line != strconv.Itoa(got.Line) || !strings.HasPrefix(got.Reason, reason) {
						t.Errorf("problem %d = %+v, want %s", i, got, w)
					}
				}
			})
		}
	})
}
