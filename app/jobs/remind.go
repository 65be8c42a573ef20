package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/courses"
)

const sweepBatch = 500

// overdueLine is one person overdue on one course, for the digests.
type overdueLine struct {
	userID int64
	line   mail.DigestLine
}

// Remind derives every enrolment's state at now with courses.Derive and
// queues the reminders courses.Reminders calls for, then the weekly
// digests. Queuing is idempotent (the outbox key), so a sweep repeated by
// another instance or after a crash queues nothing twice, and a sweep after
// downtime queues what is true now.
func (s *Scheduler) Remind(ctx context.Context, now time.Time) error {
	rows, err := s.Store.CoursesByID(ctx)
	if err != nil {
		return err
	}
	ms, err := s.Store.MaterialPublishes(ctx, 0)
	if err != nil {
		return err
	}
	material := store.MaterialByCourse(ms)
	hooks, err := s.Store.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	var overdue, noEmail []overdueLine   // noEmail: overdue or due soon, and no address to remind
	own := map[int64][]mail.DigestLine{} // digest-only people's open courses
	names := map[int64]store.User{}
	var after int64
	for {
		es, err := s.Store.EnrolmentsWithDates(ctx, after, sweepBatch)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			break
		}
		after = es[len(es)-1].ID
		ids := make([]int64, 0, len(es))
		for _, e := range es {
			ids = append(ids, e.UserID)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		users, err := s.Store.UsersByIDs(ctx, ids)
		if err != nil {
			return err
		}
		settings, err := s.Store.SettingsOf(ctx, ids)
		if err != nil {
			return err
		}
		completions, err := s.Store.CompletionsOfUsers(ctx, ids)
		if err != nil {
			return err
		}
		byEnrolment := map[[2]int64][]store.Completion{}
		for _, c := range completions {
			k := [2]int64{c.UserID, c.CourseID}
			byEnrolment[k] = append(byEnrolment[k], c)
		}
		for _, e := range es {
			u, ok := users[e.UserID]
			row, okRow := rows[e.CourseID]
			if !ok || !u.Active || !okRow || row.CurrentVersionID == 0 || !row.ArchivedAt.IsZero() {
				continue
			}
			names[u.ID] = u
			sched, err := s.Learning.Schedule(&row)
			if err != nil {
				return err
			}
			h := learning.History(&e, byEnrolment[[2]int64{e.UserID, e.CourseID}], material[e.CourseID])
			st := courses.Derive(h, sched, now)
			// Publishes re-derive the stored dates in their own transaction
			// (catalog → learning.Reschedule); this repairs rows written
			// before that, or by a version of the app that did not.
			if st.Cycle > 0 && !st.NextDue.Equal(e.NextDueAt) {
				if err := s.Store.SetEnrolmentDue(ctx, e.ID, st.NextDue); err != nil {
					return err
				}
			}
			line := mail.DigestLine{PersonID: u.ID, CourseID: row.ID, Name: u.Name, Course: row.Title, Due: st.NextDue,
				Overdue: st.Status == courses.Overdue}
			if !u.HasEmail() && (st.Status == courses.Overdue || st.Status == courses.DueSoon) {
				noEmail = append(noEmail, overdueLine{userID: u.ID, line: line})
			}
			switch st.Status {
			case courses.Overdue:
				overdue = append(overdue, overdueLine{userID: u.ID, line: line})
				own[u.ID] = append(own[u.ID], line)
				if err := becameOverdue(ctx, s.Store, hooks, &u, &row, st.NextDue, now); err != nil {
					return err
				}
			case courses.DueSoon:
				own[u.ID] = append(own[u.ID], line)
			case courses.NotStarted, courses.InProgress:
				if !st.NextDue.IsZero() {
					own[u.ID] = append(own[u.ID], line)
				}
			}
			if !u.HasEmail() {
				// Nothing can be mailed: the dashboard shows what is due,
				// and the manager's digest lists it (noEmail).
				continue
			}
			pref := settings[u.ID].MailPref
			for _, r := range courses.Reminders(h, st, sched, now) {
				if pref == store.MailDigest && (r.Kind == courses.RemindAssigned || r.Kind == courses.RemindWindowOpened) {
					continue // digest-only: the weekly digest lists it
				}
				if err := s.queueReminder(ctx, u, &row, st, r, now); err != nil {
					return err
				}
			}
		}
	}
	return s.queueDigests(ctx, overdue, noEmail, own, now)
}

func (s *Scheduler) queueReminder(ctx context.Context, u store.User, row *store.Course, st courses.State, r courses.Reminder, now time.Time) error {
	key := store.DedupeKey(r.Kind, u.ID, row.ID, r.Cycle, r.Seq)
	link := s.BaseURL + "/courses/" + row.Slug
	questions := 0
	if r.Kind == courses.RemindWindowOpened {
		c, err := s.Catalog.Version(ctx, row.CurrentVersionID)
		if err != nil {
			return err
		}
		if c.RefresherMode != courses.RefresherFull {
			questions = c.RefresherQuestions
			link = s.BaseURL + "/refresher/" + row.Slug
		}
	}
	us, err := s.Store.EnsureSettings(ctx, u.ID, auth.NewToken(), now)
	if err != nil {
		return err
	}
	m := mail.ComposeReminder(mail.Reminder{Kind: r.Kind, To: u.Email, Name: u.Name, Course: row.Title, Due: st.NextDue,
		Link: link, Questions: questions, Reminder: r.Seq + 1, SettingsURL: s.BaseURL + "/settings",
		UnsubscribeURL: s.BaseURL + "/unsubscribe/" + us.UnsubscribeToken, Loc: s.Location})
	courseID := row.ID
	added, err := s.Store.Enqueue(ctx, &store.OutboxMessage{Dedupe: key, Kind: r.Kind, UserID: u.ID, CourseID: &courseID,
		Cycle: r.Cycle, Seq: r.Seq, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, UnsubscribeURL: m.UnsubscribeURL, CreatedAt: now})
	if added {
		s.Log.Debug("queued mail", "key", key)
	}
	return err
}

// queueDigests queues this week's digest for each manager with someone
// overdue in their teams, or someone without email overdue or due soon, and
// for each digest-only person with open courses. The week (ISO, in the
// organisation's zone) is the digest's cycle. Nobody without email gets one.
func (s *Scheduler) queueDigests(ctx context.Context, overdue, noEmail []overdueLine, own map[int64][]mail.DigestLine, now time.Time) error {
	year, week := now.In(s.Location).ISOWeek()
	cycle := year*100 + week
	managed, err := s.Store.ManagedMembers(ctx)
	if err != nil {
		return err
	}
	byMember := map[int64][]overdueLine{}
	for _, o := range overdue {
		byMember[o.userID] = append(byMember[o.userID], o)
	}
	unreachable := map[int64][]overdueLine{}
	for _, o := range noEmail {
		unreachable[o.userID] = append(unreachable[o.userID], o)
	}
	digests := map[int64]*mail.Digest{}
	digestOf := func(id int64) *mail.Digest {
		d := digests[id]
		if d == nil {
			d = &mail.Digest{}
			digests[id] = d
		}
		return d
	}
	for _, m := range managed {
		for _, o := range byMember[m.MemberID] {
			line := o.line
			line.Team = m.Team
			d := digestOf(m.ManagerID)
			d.Overdue = append(d.Overdue, line)
		}
		for _, o := range unreachable[m.MemberID] {
			line := o.line
			line.Team = m.Team
			d := digestOf(m.ManagerID)
			d.NoEmail = append(d.NoEmail, line)
		}
	}
	var digestOnly []int64
	for id := range own {
		digestOnly = append(digestOnly, id)
	}
	settings, err := s.Store.SettingsOf(ctx, digestOnly)
	if err != nil {
		return err
	}
	for id, us := range settings {
		if us.MailPref != store.MailDigest {
			continue
		}
		d := digests[id]
		if d == nil {
			d = &mail.Digest{}
			digests[id] = d
		}
		d.Own = own[id]
	}
	ids := make([]int64, 0, len(digests))
	for id := range digests {
		ids = append(ids, id)
	}
	users, err := s.Store.UsersByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		u, ok := users[id]
		if !ok || !u.Active || !u.HasEmail() {
			continue
		}
		us, err := s.Store.EnsureSettings(ctx, u.ID, auth.NewToken(), now)
		if err != nil {
			return err
		}
		d := digests[id]
		d.To, d.Name, d.Link, d.Loc = u.Email, u.Name, s.BaseURL+"/", s.Location
		d.SettingsURL, d.UnsubscribeURL = s.BaseURL+"/settings", s.BaseURL+"/unsubscribe/"+us.UnsubscribeToken
		m := mail.ComposeDigest(*d)
		if _, err := s.Store.Enqueue(ctx, &store.OutboxMessage{Dedupe: store.DedupeKey(store.MailDigestKind, u.ID, 0, cycle, 0),
			Kind: store.MailDigestKind, UserID: u.ID, Cycle: cycle, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
			UnsubscribeURL: m.UnsubscribeURL, CreatedAt: now}); err != nil {
			return fmt.Errorf("jobs: queue the digest of user %d: %w", u.ID, err)
		}
	}
	return nil
}

// becameOverdue queues the enrolment.overdue webhook of one person, course
// and due date. The sweep sees an overdue course at every run; the key makes
// it one event per due date that passed.
func becameOverdue(ctx context.Context, st *store.Store, hooks []store.WebhookEndpoint, u *store.User, row *store.Course, due, now time.Time) error {
	if len(hooks) == 0 {
		return nil
	}
	key := fmt.Sprintf("overdue_%d_%d_%d", u.ID, row.ID, due.Unix())
	return webhooks.EmitTo(ctx, st, hooks, webhooks.BecameOverdue,
		map[string]any{"person": webhooks.PersonOf(u), "course": webhooks.CourseOf(row), "due": store.Now(due)}, key, now)
}
