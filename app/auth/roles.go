package auth

import (
	"slices"
	"time"
)

// Role is what a person does in Frontline. Every role takes courses; the
// others add their own pages on top.
type Role string

const (
	Learner Role = "learner"
	Trainer Role = "trainer"
	Manager Role = "manager"
	Admin   Role = "admin"
)

// Roles lists the roles in the order forms show them.
var Roles = []Role{Learner, Trainer, Manager, Admin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Learner:
		return "Learner"
	case Trainer:
		return "Trainer"
	case Manager:
		return "Manager"
	case Admin:
		return "Admin"
	}
	return string(r)
}

// Allows reports whether a person with role r may use a route that needs
// role need. Admins may do everything; otherwise the role must match, and
// Learner (any signed-in person) is open to all.
func (r Role) Allows(need Role) bool {
	switch {
	case need == Learner, r == Admin:
		return true
	default:
		return r == need
	}
}

// Session lifetimes: a session ends after IdleTimeout without use, and its
// expiry is pushed forward at most once per TouchEvery so that page views do
// not each cost a write.
const (
	IdleTimeout = 14 * 24 * time.Hour
	TouchEvery  = 10 * time.Minute
)

// Link lifetimes. The setup link makes its holder an admin, so it is short
// lived: a start of the server with no accounts prints a new one.
const (
	InviteLifetime = 7 * 24 * time.Hour
	SetupLifetime  = 24 * time.Hour
)
