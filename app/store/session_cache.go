package store

import (
	"sync"
	"time"
)

// Every signed-in page view starts by reading its session and user. At shift
// start that one query was a quarter of a page's work, for rows that change
// rarely. sessionCache keeps what was read for SessionCacheTTL, in this
// process only. This instance drops an entry the moment it signs the session
// out or changes its person (deactivated, new password, new role or name;
// a page view racing a change's commit may put the old row back, for at most
// the same TTL); another instance learns of such a change when its own entry
// lapses, so a session ended elsewhere may still open pages there for at
// most SessionCacheTTL. Expiry is still checked against the request's time
// on every read.
type sessionCache struct {
	mu     sync.Mutex
	byHash map[string]cachedSession
	byUser map[int64]map[string]struct{}
	byID   map[int64]string // session ID → token hash
}

type cachedSession struct {
	sess    Session
	user    User
	fetched time.Time // wall clock: the TTL is about this process, not the app's clock
}

// SessionCacheTTL is how long a session read is reused.
const SessionCacheTTL = 5 * time.Second

// sessionCacheMax bounds the entries; past it the cache starts again empty.
const sessionCacheMax = 100_000

func newSessionCache() *sessionCache {
	return &sessionCache{byHash: map[string]cachedSession{}, byUser: map[int64]map[string]struct{}{}, byID: map[int64]string{}}
}

// get returns a copy of a fresh entry for hash that has not expired at now.
func (c *sessionCache) get(hash string, now time.Time) (*Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byHash[hash]
	if !ok || time.Since(e.fetched) > SessionCacheTTL || !e.sess.ExpiresAt.After(now) {
		return nil, false
	}
	sess, user := e.sess, e.user
	sess.User = &user
	return &sess, true
}

func (c *sessionCache) put(hash string, s *Session) {
	if s.User == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byHash) >= sessionCacheMax {
		c.byHash, c.byUser, c.byID = map[string]cachedSession{}, map[int64]map[string]struct{}{}, map[int64]string{}
	}
	e := cachedSession{sess: *s, user: *s.User, fetched: time.Now()}
	e.sess.User = nil
	c.byHash[hash] = e
	if c.byUser[s.UserID] == nil {
		c.byUser[s.UserID] = map[string]struct{}{}
	}
	c.byUser[s.UserID][hash] = struct{}{}
	c.byID[s.ID] = hash
}

// touched keeps a cached session's times in step with a touch, so the next
// views do not touch it again.
func (c *sessionCache) touched(id int64, lastSeen, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.byID[id]
	if e, cached := c.byHash[h]; ok && cached {
		e.sess.LastSeenAt, e.sess.ExpiresAt = lastSeen, expires
		c.byHash[h] = e
	}
}

func (c *sessionCache) dropHash(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byHash[hash]; ok {
		delete(c.byUser[e.sess.UserID], hash)
		delete(c.byID, e.sess.ID)
		delete(c.byHash, hash)
	}
}

func (c *sessionCache) dropUsers(ids ...int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		for h := range c.byUser[id] {
			delete(c.byID, c.byHash[h].sess.ID)
			delete(c.byHash, h)
		}
		delete(c.byUser, id)
	}
}
