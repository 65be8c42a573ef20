// Package staff reads a staff list (CSV: name, email, team path, role,
// optional manager flag), checks every line, says what applying it would
// change, and applies it in batches with progress. Applying the same file
// twice changes nothing the second time. It writes only through app/store
// and knows no HTTP.
package staff

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// Row is one valid line of the file.
type Row struct {
	Line    int
	Name    string
	Email   string
	Team    []string // path of team names from the root
	Role    auth.Role
	Manager bool
}

// TeamPath is the row's team as written: "Acme / North / Leeds".
func (r Row) TeamPath() string { return strings.Join(r.Team, " / ") }

// Problem is a line that cannot be imported, and why.
type Problem struct {
	Line   int
	Reason string
}

// MaxRows bounds one file.
const MaxRows = 1_000_000

var columns = []string{"name", "email", "team", "role", "manager"}

// Parse reads the file. The first line names the columns (any order,
// any case; "manager" may be left out). It returns the good rows and a
// problem for each bad line; a file-level problem has line 1 or 0.
func Parse(r io.Reader) ([]Row, []Problem) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, []Problem{{1, "the file is empty or not CSV: the first line must name the columns name, email, team, role (and optionally manager)"}}
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		col[h] = i
	}
	var missing []string
	for _, c := range columns[:4] {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, []Problem{{1, "the first line lacks the column(s) " + strings.Join(missing, ", ")}}
	}
	var rows []Row
	var problems []Problem
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only defined for a record that was read, so a
			// broken line is located by the parse error itself.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, Problem{pe.StartLine, "not valid CSV: " + pe.Err.Error()})
				continue
			}
			problems = append(problems, Problem{0, "unable to read the file: " + err.Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rows)+len(problems) >= MaxRows {
			problems = append(problems, Problem{line, fmt.Sprintf("the file has more than %d lines; split it", MaxRows)})
			break
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		row, reason := parseRow(line, get)
		if reason == "" {
			if first, dup := seen[row.Email]; dup {
				reason = fmt.Sprintf("the email %s is also on line %d", row.Email, first)
			} else {
				seen[row.Email] = line
			}
		}
		if reason != "" {
			problems = append(problems, Problem{line, reason})
			continue
		}
		rows = append(rows, row)
	}
	return rows, problems
}

func parseRow(line int, get func(string) string) (Row, string) {
	r := Row{Line: line, Name: get("name"), Email: store.NormaliseEmail(get("email"))}
	if r.Name == "" {
		return r, "the name is empty"
	}
	if len(r.Name) > 200 {
		return r, "the name is longer than 200 characters"
	}
	if hasControl(r.Name) {
		return r, "the name contains a control character (a tab, line break or invisible code)"
	}
	if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || !strings.Contains(r.Email, "@") {
		return r, fmt.Sprintf("%q is not an email address", get("email"))
	}
	for _, part := range strings.Split(get("team"), "/") {
		if p := strings.TrimSpace(part); p != "" {
			if len(p) > 120 {
				return r, "a team name is longer than 120 characters"
			}
			if hasControl(p) {
				return r, "a team name contains a control character (a tab, line break or invisible code)"
			}
			r.Team = append(r.Team, p)
		}
	}
	if len(r.Team) == 0 {
		return r, "the team is empty: give its path from the top, such as Acme/North/Leeds"
	}
	role := strings.ToLower(get("role"))
	if role == "" {
		role = string(auth.Learner)
	}
	r.Role = auth.Role(role)
	if !r.Role.Valid() {
		return r, fmt.Sprintf("%q is not a role: use learner, trainer, manager or admin", get("role"))
	}
	switch strings.ToLower(get("manager")) {
	case "", "no", "n", "false", "0":
	case "yes", "y", "true", "1":
		r.Manager = true
		if r.Role == auth.Learner {
			r.Role = auth.Manager
		}
	default:
		return r, fmt.Sprintf("manager must be yes or no, not %q", get("manager"))
	}
	return r, ""
}

// hasControl reports control characters, which no name needs and which
// would corrupt exports, logs and the team path keys.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// Plan is what applying the rows would do.
type Plan struct {
	New, Changed, Unchanged int
	NewTeams                []string // team paths that do not exist yet
}

// state is what the database holds about the people and teams of a file.
type state struct {
	users    map[string]store.User // by email
	teams    map[string]int64      // by joined name path
	member   map[int64]int64       // user → team
	managing map[[2]int64]bool     // (user, team)
}

func load(ctx context.Context, st *store.Store, rows []Row) (*state, error) {
	s := &state{users: map[string]store.User{}, teams: map[string]int64{}}
	emails := make([]string, len(rows))
	for i, r := range rows {
		emails[i] = r.Email
	}
	us, err := st.UsersByEmails(ctx, emails)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(us))
	for _, u := range us {
		s.users[u.Email] = u
		ids = append(ids, u.ID)
	}
	if s.member, err = st.Memberships(ctx, ids); err != nil {
		return nil, err
	}
	if s.managing, err = st.ManagerPairs(ctx, ids); err != nil {
		return nil, err
	}
	ts, err := st.Teams(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]store.Team{}
	for _, t := range ts {
		byID[t.ID] = t
	}
	for _, t := range ts { // path order: parents come first
		key := t.Name
		if t.ParentID != 0 {
			key = nameKey(byID, t.ParentID) + "\x00" + t.Name
		}
		s.teams[key] = t.ID
	}
	return s, nil
}

func nameKey(byID map[int64]store.Team, id int64) string {
	t := byID[id]
	if t.ParentID == 0 {
		return t.Name
	}
	return nameKey(byID, t.ParentID) + "\x00" + t.Name
}

func key(path []string) string { return strings.Join(path, "\x00") }

// unchanged reports whether the row says what the database already holds.
func (s *state) unchanged(r Row) (store.User, bool, bool) {
	u, ok := s.users[r.Email]
	if !ok {
		return u, false, false
	}
	team, ok := s.teams[key(r.Team)]
	same := ok && u.Name == r.Name && u.Role == string(r.Role) && s.member[u.ID] == team &&
		(!r.Manager || s.managing[[2]int64{u.ID, team}])
	return u, true, same
}

// Preview says what Apply would do, writing nothing.
func Preview(ctx context.Context, st *store.Store, rows []Row) (Plan, error) {
	s, err := load(ctx, st, rows)
	if err != nil {
		return Plan{}, err
	}
	var p Plan
	newTeams := map[string]bool{}
	for _, r := range rows {
		for i := range r.Team {
			k := key(r.Team[:i+1])
			if _, ok := s.teams[k]; !ok && !newTeams[k] {
				newTeams[k] = true
				p.NewTeams = append(p.NewTeams, strings.Join(r.Team[:i+1], " / "))
			}
		}
		switch _, exists, same := s.unchanged(r); {
		case !exists:
			p.New++
		case same:
			p.Unchanged++
		default:
			p.Changed++
		}
	}
	return p, nil
}

// Batch is how many rows Apply writes per transaction.
const Batch = 1000

// Apply writes the rows, Batch at a time, each batch in one transaction,
// calling progress after each. People already as the file says are left
// alone, so applying a file twice changes nothing the second time, and a
// run cut short can be applied again. New people get no password: an admin
// sends them invitations.
func Apply(ctx context.Context, st *store.Store, rows []Row, now time.Time, loc *time.Location, progress func(done int) error) (Plan, error) {
	var total Plan
	for from := 0; from < len(rows); from += Batch {
		part := rows[from:min(from+Batch, len(rows))]
		err := st.Tx(ctx, func(tx *store.Store) error {
			p, err := applyBatch(ctx, tx, part, now, loc)
			total.New += p.New
			total.Changed += p.Changed
			total.Unchanged += p.Unchanged
			total.NewTeams = append(total.NewTeams, p.NewTeams...)
			return err
		})
		if err != nil {
			return total, err
		}
		if progress != nil {
			if err := progress(from + len(part)); err != nil {
				return total, err
			}
		}
	}
	if total.New > 10*Batch {
		return total, st.Analyze(ctx) // the planner's statistics are stale after this much
	}
	return total, nil
}

func applyBatch(ctx context.Context, tx *store.Store, rows []Row, now time.Time, loc *time.Location) (Plan, error) {
	var p Plan
	s, err := load(ctx, tx, rows)
	if err != nil {
		return p, err
	}
	teamOf := func(path []string) (int64, error) {
		var parent int64
		for i := range path {
			k := key(path[:i+1])
			id, ok := s.teams[k]
			if !ok {
				t, err := tx.CreateTeam(ctx, parent, path[i], now)
				if err != nil {
					return 0, err
				}
				id = t.ID
				s.teams[k] = id
				p.NewTeams = append(p.NewTeams, strings.Join(path[:i+1], " / "))
			}
			parent = id
		}
		return parent, nil
	}
	var fresh []store.User
	var freshRows []Row
	joins := map[int64][]int64{} // team → people to put in it
	type manage struct{ user, team int64 }
	var manages []manage
	for _, r := range rows {
		u, exists, same := s.unchanged(r)
		if same {
			p.Unchanged++
			continue
		}
		team, err := teamOf(r.Team)
		if err != nil {
			return p, err
		}
		if !exists {
			fresh = append(fresh, store.User{Email: r.Email, Name: r.Name, Role: string(r.Role), Active: true, CreatedAt: now})
			freshRows = append(freshRows, r)
			continue
		}
		p.Changed++
		if u.Name != r.Name || u.Role != string(r.Role) {
			if err := tx.UpdatePerson(ctx, u.ID, r.Name, string(r.Role)); err != nil {
				return p, err
			}
		}
		if s.member[u.ID] != team {
			joins[team] = append(joins[team], u.ID)
		}
		if r.Manager && !s.managing[[2]int64{u.ID, team}] {
			manages = append(manages, manage{u.ID, team})
		}
	}
	if len(fresh) > 0 {
		if err := tx.InsertUsers(ctx, fresh); err != nil {
			return p, err
		}
		p.New += len(fresh)
		for i, u := range fresh {
			team := s.teams[key(freshRows[i].Team)]
			joins[team] = append(joins[team], u.ID)
			if freshRows[i].Manager {
				manages = append(manages, manage{u.ID, team})
			}
		}
	}
	for team, ids := range joins {
		if err := tx.SetTeams(ctx, team, ids, now, loc); err != nil {
			return p, err
		}
	}
	for _, m := range manages {
		if err := tx.SetManager(ctx, m.team, m.user, true, now); err != nil {
			return p, err
		}
	}
	return p, nil
}
