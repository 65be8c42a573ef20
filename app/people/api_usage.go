package people

import (
	"context"
	"strconv"
	"sync"

	"github.com/frontline-lms/frontline/app/store"
)

// UsageLog writes the audit row of every API request with group commit:
// each request waits until its row is committed, so no answer leaves
// without its record, but rows of requests that arrive together share one
// transaction. On SQLite, where every commit is a sync to disk, that is
// what keeps auditing every read affordable (the README gives numbers).
type UsageLog struct {
	s    *Service
	in   chan usage
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

type usage struct {
	entry *store.AuditEntry
	token *store.APIToken
	ack   chan error
}

// usageBatch bounds the rows one transaction writes.
const usageBatch = 500

// NewUsageLog starts the log's writer; Close stops it.
func (s *Service) NewUsageLog() *UsageLog {
	l := &UsageLog{s: s, in: make(chan usage), stop: make(chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

// Record audits one request made with t and returns once the row is
// committed (or ctx ends). The token's "last used" moves forward at most
// once per TokenTouchEvery, in the same transaction.
func (l *UsageLog) Record(ctx context.Context, t *store.APIToken, ip, method, path string, status int) error {
	by := store.Actor{ID: t.CreatedBy, IP: ip}
	u := usage{entry: by.Entry("api.request", tokenTarget(t.ID), method+" "+path+" "+strconv.Itoa(status), l.s.Now()),
		token: t, ack: make(chan error, 1)}
	select {
	case l.in <- u:
	case <-l.stop:
		return l.s.RecordAPIUse(ctx, t, ip, method, path, status) // closing: write it alone
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-u.ack:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the writer after the batch in hand.
func (l *UsageLog) Close() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

func (l *UsageLog) run() {
	defer close(l.done)
	for {
		var batch []usage
		select {
		case u := <-l.in:
			batch = append(batch, u)
		case <-l.stop:
			return
		}
		// Whatever queued while the last batch was committing goes together.
	more:
		for len(batch) < usageBatch {
			select {
			case u := <-l.in:
				batch = append(batch, u)
			default:
				break more
			}
		}
		err := l.write(batch)
		for _, u := range batch {
			u.ack <- err
		}
	}
}

func (l *UsageLog) write(batch []usage) error {
	entries := make([]store.AuditEntry, len(batch))
	touch := map[int64]bool{}
	now := l.s.Now()
	for i, u := range batch {
		entries[i] = *u.entry
		if now.Sub(u.token.LastUsedAt) >= TokenTouchEvery {
			touch[u.token.ID] = true
		}
	}
	// The requests have their own contexts; the batch is everyone's, so it
	// is not cancelled by one client going away.
	ctx := context.Background()
	return l.s.Store.Tx(ctx, func(tx *store.Store) error {
		for id := range touch {
			if err := tx.TouchAPIToken(ctx, id, now); err != nil {
				return err
			}
		}
		return tx.AuditMany(ctx, entries)
	})
}
