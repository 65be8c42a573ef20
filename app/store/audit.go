package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// AuditEntry records who did something that matters, and when. Entries are
// written with Audit on the transaction of the change they record, so the
// log holds a change exactly when the change happened; they are never
// updated or deleted.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID      int64     `bun:"id,pk,autoincrement"`
	ActorID *int64    `bun:"actor_id"`
	Action  string    `bun:"action,notnull"`
	Target  string    `bun:"target,notnull"`
	Detail  string    `bun:"detail,notnull"`
	IP      string    `bun:"ip,notnull"`
	At      time.Time `bun:"at,notnull"`
}

// Audit appends an entry. Call it on the transaction that makes the change.
func (s *Store) Audit(ctx context.Context, e *AuditEntry) error {
	e.At = Now(e.At)
	_, err := s.w.NewInsert().Model(e).Exec(ctx)
	return wrap(err, "write audit entry %s", e.Action)
}

// AuditMany appends many entries, a chunk per statement: what a bulk
// change (a staff import) writes beside its rows.
func (s *Store) AuditMany(ctx context.Context, es []AuditEntry) error {
	for i := range es {
		es[i].At = Now(es[i].At)
	}
	return chunks(es, batchRows, func(part []AuditEntry) error {
		_, err := s.w.NewInsert().Model(&part).Exec(ctx)
		return wrap(err, "write %d audit entries", len(part))
	})
}

// AuditRow is an entry with the name and email of who did it.
type AuditRow struct {
	AuditEntry `bun:",extend"`

	ActorName  string `bun:"actor_name,scanonly"`
	ActorEmail string `bun:"actor_email,scanonly"` // the email, else the username
}

// AuditCursor is where a page of the audit log ends: entries are listed
// newest first, by (at, id).
type AuditCursor struct {
	At time.Time
	ID int64
}

// AuditQuery filters the audit log. Zero fields do not filter.
type AuditQuery struct {
	Who    string    // part of the actor's name or email, or of the target
	Action string    // an action ("course.publish") or a family ending in "." ("signin.")
	From   time.Time // entries at or after
	To     time.Time // entries before
	After  AuditCursor
	Limit  int // page size for AuditLog; ExportAudit ignores it
}

func (q AuditQuery) apply(sq *bun.SelectQuery) *bun.SelectQuery {
	sq = sq.ColumnExpr("al.*").ColumnExpr("COALESCE(u.name, '') AS actor_name, COALESCE(u.email, u.username, '') AS actor_email").
		Join("LEFT JOIN users AS u ON u.id = al.actor_id")
	if who := strings.ToLower(strings.TrimSpace(q.Who)); who != "" {
		like := "%" + escapeLike(who) + "%"
		sq = sq.Where("(LOWER(u.name) LIKE ? ESCAPE '\\' OR LOWER(u.email) LIKE ? ESCAPE '\\' OR u.username LIKE ? ESCAPE '\\' OR LOWER(al.target) LIKE ? ESCAPE '\\')", like, like, like, like)
	}
	switch a := strings.TrimSpace(q.Action); {
	case a == "":
	case strings.HasSuffix(a, "."):
		sq = sq.Where("al.action LIKE ? ESCAPE '\\'", escapeLike(a)+"%")
	default:
		sq = sq.Where("al.action = ?", a)
	}
	if !q.From.IsZero() {
		sq = sq.Where("al.at >= ?", Now(q.From))
	}
	if !q.To.IsZero() {
		sq = sq.Where("al.at < ?", Now(q.To))
	}
	if q.After.ID != 0 {
		at := Now(q.After.At)
		sq = sq.Where("(al.at < ? OR (al.at = ? AND al.id < ?))", at, at, q.After.ID)
	}
	return sq.OrderExpr("al.at DESC, al.id DESC")
}

// escapeLike makes s match itself inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditLog returns one page of entries, newest first, and whether more
// follow. Keyset pagination: a deep page costs what the first does.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]AuditRow, bool, error) {
	if q.Limit <= 0 {
		return nil, false, fmt.Errorf("store: an audit page needs a limit")
	}
	var rows []AuditRow
	err := q.apply(s.r.NewSelect().Model(&rows).ModelTableExpr("audit_log AS al")).Limit(int64(q.Limit + 1)).Scan(ctx)
	if err != nil {
		return nil, false, wrap(err, "read audit log")
	}
	more := len(rows) > q.Limit
	if more {
		rows = rows[:q.Limit]
	}
	return rows, more, nil
}

// ExportAudit streams every entry the query matches to fn, newest first,
// one row in memory at a time.
func (s *Store) ExportAudit(ctx context.Context, q AuditQuery, fn func(*AuditRow) error) error {
	rows, err := q.apply(s.r.NewSelect().Model((*AuditRow)(nil)).ModelTableExpr("audit_log AS al")).Rows(ctx)
	if err != nil {
		return wrap(err, "export audit log")
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRow
		if err := s.db.R.ScanRow(ctx, rows, &r); err != nil {
			return wrap(err, "read an audit row")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "export audit log")
}

// Actor is who does something the audit log records: a person (ID 0 when
// nobody is signed in: the demo, a job, a failed sign-in) and the address
// the request came from ("" when there was no request).
type Actor struct {
	ID int64
	IP string
}

// Entry is the audit row of an action by a.
func (a Actor) Entry(action, target, detail string, at time.Time) *AuditEntry {
	e := &AuditEntry{Action: action, Target: target, Detail: detail, IP: a.IP, At: at}
	if a.ID != 0 {
		id := a.ID
		e.ActorID = &id
	}
	return e
}
