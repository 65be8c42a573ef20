// Package staff reads a staff list (CSV: name, email and/or username, team
// path, role, optional manager and active flags), checks every line, says what applying
// it would change — who is added, changed (and how) and deactivated — and
// applies it in batches with progress. Applying the same file twice changes
// nothing the second time. An import never takes the admin role or the
// account from the person importing, nor leaves no active admin. It writes
// only through app/store and knows no HTTP.
package staff

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
)

// Row is one valid line of the file.
type Row struct {
	Line     int
	Name     string
	Email    string // "" for someone without email, who then has a username
	Username string
	Team     []string // path of team names from the root
	Role     auth.Role
	Manager  bool
	Active   *bool // nil: the account stays as it is; false deactivates, true reactivates
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

var columns = []string{"name", "team", "role", "email", "username", "manager", "active"}

// Identifier is how the row names its person: the email, else the username.
func (r Row) Identifier() string {
	if r.Email != "" {
		return r.Email
	}
	return r.Username
}

// notText refuses a file that is not UTF-8 text: its names would be stored
// garbled, or not at all.
const notText = "the file is not UTF-8 text (a NUL character or bytes in another encoding): save it as \"CSV UTF-8\" and upload it again"

// Parse reads the file. The first line names the columns (any order,
// any case, each once; "manager" and "active" may be left out). It returns
// the good rows and a problem for each bad line; a file-level problem has
// line 1 or 0, and a file that is not UTF-8 text is refused at the first
// line that shows it.
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
		if !isText(h) {
			return nil, []Problem{{1, notText}}
		}
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup && h != "" {
			return nil, []Problem{{1, fmt.Sprintf("the first line names the column %q twice: name each column once", h)}}
		}
		col[h] = i
	}
	var missing []string
	for _, c := range columns[:3] {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	_, hasEmail := col["email"]
	if _, hasUsername := col["username"]; !hasEmail && !hasUsername {
		missing = append(missing, "email (or username)")
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
		for _, f := range rec {
			if !isText(f) {
				return nil, []Problem{{line, notText}}
			}
		}
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
		if reason == "" && row.Email != "" {
			if first, dup := seen["e:"+row.Email]; dup {
				reason = fmt.Sprintf("the email %s is also on line %d", row.Email, first)
			}
		}
		if reason == "" && row.Username != "" {
			if first, dup := seen["u:"+row.Username]; dup {
				reason = fmt.Sprintf("the username %s is also on line %d", row.Username, first)
			}
		}
		if reason == "" {
			if row.Email != "" {
				seen["e:"+row.Email] = line
			}
			if row.Username != "" {
				seen["u:"+row.Username] = line
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
	r := Row{Line: line, Name: get("name"), Email: store.NormaliseEmail(get("email")), Username: store.NormaliseUsername(get("username"))}
	if r.Name == "" {
		return r, "the name is empty"
	}
	if len(r.Name) > 200 {
		return r, "the name is longer than 200 characters"
	}
	if hasControl(r.Name) {
		return r, "the name contains a control character (a tab, line break or invisible code)"
	}
	if r.Email == "" && r.Username == "" {
		return r, "the line has neither an email nor a username: give one"
	}
	if r.Email != "" {
		if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || !strings.Contains(r.Email, "@") {
			return r, fmt.Sprintf("%q is not an email address", get("email"))
		}
	}
	if r.Username != "" && !store.ValidUsername(r.Username) {
		return r, fmt.Sprintf("%q is not a username: use 2 to 64 letters, digits, dots, hyphens or underscores, without @", get("username"))
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
	manager, set, ok := yesNo(get("manager"))
	if !ok {
		return r, fmt.Sprintf("manager must be yes or no, not %q", get("manager"))
	}
	if r.Manager = set && manager; r.Manager && r.Role == auth.Learner {
		r.Role = auth.Manager
	}
	active, set, ok := yesNo(get("active"))
	if !ok {
		return r, fmt.Sprintf("active must be yes or no (or empty to leave the account as it is), not %q", get("active"))
	}
	if set {
		r.Active = &active
	}
	return r, ""
}

// yesNo reads a yes/no cell; set is false for an empty one.
func yesNo(v string) (value, set, ok bool) {
	switch strings.ToLower(v) {
	case "":
		return false, false, true
	case "no", "n", "false", "0":
		return false, true, true
	case "yes", "y", "true", "1":
		return true, true, true
	}
	return false, false, false
}

func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// hasControl reports control characters, which no name needs and which
// would corrupt exports, logs and the team path keys.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// Plan is what applying the rows would do. The counts are of every row;
// the lists name the first PlanListed people of each kind.
type Plan struct {
	New, Changed, Deactivated, Unchanged int
	NewTeams                             []string  // team paths that do not exist yet
	Added, Updated, Leaving              []Change  // new people; people changed; people deactivated
	Problems                             []Problem // lines the rules refuse: the file cannot be applied
}

// Change is one person in a Plan and what happens to them.
type Change struct {
	Line        int
	Name, Email string
	What        []string // for a new person their role and team; else each change
}

// PlanListed bounds each list of a Plan; the counts cover the rest.
const PlanListed = 500

// Rules an import obeys whatever the file says.
const (
	refuseOwnAdmin  = "this line would take the admin role from you, the person importing: change your own role under People, or ask another admin to import the file"
	refuseOwnLeave  = "this line would deactivate you, the person importing: ask another admin to import the file"
	refuseNoAdmin   = "the file would leave no active admin: keep at least one person with the admin role"
	refuseNoAdminAt = "stopped: applying this part of the file would have left no active admin, so it was not applied"
)

// Refusal is a line (0: the file) the rules refuse, as an error of Apply.
type Refusal Problem

func (r Refusal) Error() string {
	if r.Line == 0 {
		return r.Reason
	}
	return fmt.Sprintf("line %d: %s", r.Line, r.Reason)
}

// state is what the database holds about the people and teams of a file.
type state struct {
	users    map[string]store.User // by email
	byName   map[string]store.User // by username
	teams    map[string]int64      // by joined name path
	names    map[int64]string      // team → "Acme / North"
	member   map[int64]int64       // user → team
	managing map[[2]int64]bool     // (user, team)
}

func load(ctx context.Context, st *store.Store, rows []Row) (*state, error) {
	s := &state{users: map[string]store.User{}, byName: map[string]store.User{}, teams: map[string]int64{}, names: map[int64]string{}}
	var emails, usernames []string
	for _, r := range rows {
		if r.Email != "" {
			emails = append(emails, r.Email)
		}
		if r.Username != "" {
			usernames = append(usernames, r.Username)
		}
	}
	us, err := st.UsersByEmails(ctx, emails)
	if err != nil {
		return nil, err
	}
	byUsername, err := st.UsersByUsernames(ctx, usernames)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(us)+len(byUsername))
	for _, u := range us {
		s.users[u.Email] = u
		ids = append(ids, u.ID)
	}
	for _, u := range byUsername {
		s.byName[u.Username] = u
		if _, dup := s.users[u.Email]; !dup || u.Email == "" {
			ids = append(ids, u.ID)
		}
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
		s.names[t.ID] = strings.ReplaceAll(key, "\x00", " / ")
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

// changes lists what applying the row would change for the person it
// names; exists is false for someone new. No changes: the row is unchanged.
func (s *state) changes(r Row) (store.User, bool, []string) {
	u, exists := s.person(r)
	if !exists {
		return u, false, nil
	}
	var out []string
	if r.Username != "" && u.Username != r.Username {
		out = append(out, fmt.Sprintf("username “%s” → “%s”", u.Username, r.Username))
	}
	if u.Name != r.Name {
		out = append(out, fmt.Sprintf("name “%s” → “%s”", u.Name, r.Name))
	}
	if u.Role != string(r.Role) {
		out = append(out, fmt.Sprintf("role %s → %s", u.Role, r.Role))
	}
	team, ok := s.teams[key(r.Team)]
	if !ok || s.member[u.ID] != team {
		from := "no team"
		if t, in := s.member[u.ID]; in {
			from = s.names[t]
		}
		out = append(out, fmt.Sprintf("team %s → %s", from, r.TeamPath()))
	}
	if r.Manager && (!ok || !s.managing[[2]int64{u.ID, team}]) {
		out = append(out, "becomes a manager of "+r.TeamPath())
	}
	if r.Active != nil && *r.Active != u.Active {
		if *r.Active {
			out = append(out, "reactivated")
		} else {
			out = append(out, "deactivated")
		}
	}
	return u, true, out
}

// person is who the row names: by email when it has one, else by username.
func (s *state) person(r Row) (store.User, bool) {
	if r.Email != "" {
		u, ok := s.users[r.Email]
		return u, ok
	}
	u, ok := s.byName[r.Username]
	return u, ok
}

// clash is why the row's username cannot be used, or "": it belongs to
// someone other than the person the row names (matched by email).
func (s *state) clash(r Row, u store.User, exists bool) string {
	if r.Username == "" {
		return ""
	}
	other, taken := s.byName[r.Username]
	if taken && (!exists || other.ID != u.ID) {
		return fmt.Sprintf("the username %s belongs to someone else (%s)", r.Username, other.Identifier())
	}
	return ""
}

// outcome is what a row does to the person it names.
type outcome int

const (
	added outcome = iota
	changed
	deactivated
	unchanged
)

// outcomeOf sorts a row, given what changes says of it, for the preview's
// lists and the counts of both preview and apply.
func outcomeOf(r Row, u store.User, exists bool, what []string) outcome {
	switch {
	case !exists:
		return added
	case len(what) == 0:
		return unchanged
	case r.Active != nil && !*r.Active && u.Active:
		return deactivated
	}
	return changed
}

// count adds one row of the outcome to the plan's counts.
func (p *Plan) count(o outcome) {
	switch o {
	case added:
		p.New++
	case changed:
		p.Changed++
	case deactivated:
		p.Deactivated++
	case unchanged:
		p.Unchanged++
	}
}

// refusal is why the person importing (by) may not apply the row, or "".
// An import never takes the admin role or the account from whoever runs it:
// they would lose the page they are on, and it is how an organisation ends
// up with no admin.
func refusal(r Row, u store.User, exists bool, by int64) string {
	switch {
	case !exists || u.ID != by:
		return ""
	case u.Role == string(auth.Admin) && r.Role != auth.Admin:
		return refuseOwnAdmin
	case r.Active != nil && !*r.Active:
		return refuseOwnLeave
	}
	return ""
}

// adminDelta is how applying the row changes the number of active admins.
func adminDelta(r Row, u store.User, exists bool) int {
	active := !exists || u.Active
	if r.Active != nil {
		active = *r.Active
	}
	n := 0
	if r.Role == auth.Admin && active {
		n++
	}
	if exists && u.Role == string(auth.Admin) && u.Active {
		n--
	}
	return n
}

// Preview says what Apply would do for the person importing (by), writing
// nothing. Lines the rules refuse are in Plan.Problems.
func Preview(ctx context.Context, st *store.Store, rows []Row, by int64) (Plan, error) {
	s, err := load(ctx, st, rows)
	if err != nil {
		return Plan{}, err
	}
	admins, err := st.CountActiveAdmins(ctx)
	if err != nil {
		return Plan{}, err
	}
	var p Plan
	newTeams := map[string]bool{}
	list := func(l *[]Change, r Row, what []string) {
		if len(*l) < PlanListed {
			*l = append(*l, Change{Line: r.Line, Name: r.Name, Email: r.Identifier(), What: what})
		}
	}
	for _, r := range rows {
		for i := range r.Team {
			k := key(r.Team[:i+1])
			if _, ok := s.teams[k]; !ok && !newTeams[k] {
				newTeams[k] = true
				p.NewTeams = append(p.NewTeams, strings.Join(r.Team[:i+1], " / "))
			}
		}
		u, exists, what := s.changes(r)
		if reason := s.clash(r, u, exists); reason != "" {
			p.Problems = append(p.Problems, Problem{r.Line, reason})
			continue
		}
		if reason := refusal(r, u, exists, by); reason != "" {
			p.Problems = append(p.Problems, Problem{r.Line, reason})
		}
		admins += adminDelta(r, u, exists)
		o := outcomeOf(r, u, exists, what)
		p.count(o)
		switch o {
		case added:
			what = []string{string(r.Role), r.TeamPath()}
			if r.Manager {
				what = append(what, "manager of "+r.TeamPath())
			}
			if r.Active != nil && !*r.Active {
				what = append(what, "inactive")
			}
			list(&p.Added, r, what)
		case deactivated:
			list(&p.Leaving, r, what)
		case changed:
			list(&p.Updated, r, what)
		}
	}
	if admins < 1 {
		p.Problems = append(p.Problems, Problem{0, refuseNoAdmin})
	}
	return p, nil
}

// Batch is how many rows Apply writes per transaction.
const Batch = 1000

// Apply writes the rows for the person importing (by), Batch at a time,
// each batch in one transaction, calling progress after each. People
// already as the file says are left alone, so applying a file twice changes
// nothing the second time, and a run cut short can be applied again. New
// people get no password: an admin sends them invitations. The rules are
// checked again inside each batch — the database may have changed since the
// preview — and a batch that breaks one is rolled back and stops the run
// with a Refusal.
func Apply(ctx context.Context, st *store.Store, rows []Row, by int64, now time.Time, loc *time.Location, progress func(done int) error) (Plan, error) {
	var total Plan
	for from := 0; from < len(rows); from += Batch {
		part := rows[from:min(from+Batch, len(rows))]
		var p Plan
		err := st.Tx(ctx, func(tx *store.Store) error {
			var err error
			p, err = applyBatch(ctx, tx, part, by, now, loc)
			return err
		})
		if err != nil {
			return total, err
		}
		total.New += p.New
		total.Changed += p.Changed
		total.Deactivated += p.Deactivated
		total.Unchanged += p.Unchanged
		total.NewTeams = append(total.NewTeams, p.NewTeams...)
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

func applyBatch(ctx context.Context, tx *store.Store, rows []Row, by int64, now time.Time, loc *time.Location) (Plan, error) {
	var p Plan
	// Held until the batch commits, so two imports (or an import and an
	// admin switching someone off) cannot each count the other's admin as
	// still there.
	if err := tx.LockAdmins(ctx); err != nil {
		return p, err
	}
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
	// One audit row per person the import adds or changes, saying what
	// changed (a role above all), written in the batch's transaction.
	who := store.Actor{ID: by}
	var audit []store.AuditEntry
	// Webhook endpoints are read once per batch, not once per person.
	hooks, err := tx.WebhookEndpoints(ctx)
	if err != nil {
		return p, err
	}
	joins := map[int64][]int64{} // team → people to put in it
	type manage struct{ user, team int64 }
	var manages []manage
	for _, r := range rows {
		u, exists, what := s.changes(r)
		if reason := s.clash(r, u, exists); reason != "" {
			return p, Refusal{r.Line, reason}
		}
		if reason := refusal(r, u, exists, by); reason != "" {
			return p, Refusal{r.Line, reason}
		}
		o := outcomeOf(r, u, exists, what)
		if o == unchanged {
			p.count(o)
			continue
		}
		team, err := teamOf(r.Team)
		if err != nil {
			return p, err
		}
		if !exists {
			active := r.Active == nil || *r.Active
			fresh = append(fresh, store.User{Email: r.Email, Username: r.Username, Name: r.Name, Role: string(r.Role), Active: active, CreatedAt: now})
			freshRows = append(freshRows, r)
			continue
		}
		p.count(o)
		audit = append(audit, *who.Entry("staff.import.change", u.Identifier(), strings.Join(what, "; "), now))
		if u.Name != r.Name || u.Role != string(r.Role) || (r.Username != "" && r.Username != u.Username) {
			if err := tx.UpdatePerson(ctx, u.ID, r.Name, string(r.Role), r.Username); err != nil {
				return p, err
			}
		}
		if r.Active != nil && *r.Active != u.Active {
			if err := tx.SetActive(ctx, u.ID, *r.Active); err != nil {
				return p, err
			}
			if !*r.Active {
				gone := u
				gone.Name, gone.Role, gone.Active = r.Name, string(r.Role), false
				if err := webhooks.EmitTo(ctx, tx, hooks, webhooks.PersonDeactivated, map[string]any{"person": webhooks.PersonOf(&gone)}, "", now); err != nil {
					return p, err
				}
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
		for i, u := range fresh {
			p.count(added)
			detail := "added as " + u.Role + " in " + freshRows[i].TeamPath()
			if !u.Active {
				detail += ", deactivated"
			}
			audit = append(audit, *who.Entry("staff.import.add", u.Identifier(), detail, now))
			if err := webhooks.EmitTo(ctx, tx, hooks, webhooks.PersonCreated, map[string]any{"person": webhooks.PersonOf(&fresh[i])}, "", now); err != nil {
				return p, err
			}
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
	if err := tx.AuditMany(ctx, audit); err != nil {
		return p, err
	}
	// Counted inside the transaction, after its writes: a change made
	// since the preview (another admin demoted meanwhile) is seen here.
	if n, err := tx.CountActiveAdmins(ctx); err != nil {
		return p, err
	} else if n < 1 {
		return p, Refusal{0, refuseNoAdminAt}
	}
	return p, nil
}

// ErrNotYourImport is a confirmation by an admin other than the one who
// uploaded and previewed the file.
var ErrNotYourImport = errors.New("staff: only the admin who uploaded this file can apply it")

// Confirm hands a previewed import to the job runner, which applies it in
// the background, and records who confirmed it, in one transaction. It
// reports whether this call started it: confirming twice applies it once.
func Confirm(ctx context.Context, st *store.Store, im *store.StaffImport, by store.Actor, now time.Time) (bool, error) {
	// The rules protect the importing admin (no file takes their role or
	// account), and the preview was checked for the one who uploaded it: a
	// file one admin uploads, another may not apply.
	if by.ID != im.CreatedBy {
		return false, ErrNotYourImport
	}
	var started bool
	err := st.Tx(ctx, func(tx *store.Store) (err error) {
		if started, err = tx.StartImport(ctx, im.ID); err != nil || !started {
			return err
		}
		return tx.Audit(ctx, by.Entry("staff.import.start", "import:"+strconv.FormatInt(im.ID, 10),
			fmt.Sprintf("%s, %d rows", im.Filename, im.TotalRows), now))
	})
	return started, err
}
