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

// Password-account links and their rate limits. A reset link is mailed, so
// it lives only as long as reading a mail takes; a sign-in link is shown to
// an admin or manager standing with the person, so an hour is plenty.
const (
	ResetLifetime      = 30 * time.Minute
	SignInLinkLifetime = time.Hour
	// LinkRateWindow is the period the per-person limits below count over.
	LinkRateWindow = time.Hour
	// MaxResetLinks is how many reset links one person is mailed per
	// LinkRateWindow, however many addresses ask: more is somebody else
	// filling their inbox.
	MaxResetLinks = 3
	// MaxSignInLinks is how many sign-in links may be issued for one person
	// per LinkRateWindow.
	MaxSignInLinks = 5
	// MaxInvitationMails is how many invitation mails one person is sent per
	// LinkRateWindow (resends included).
	MaxInvitationMails = 3
	// MaxResetRequests is how many recovery requests one address may make
	// for one account per ThrottleWindow; the address's cap over all
	// accounts is the sign-in one, MaxAddressFailures, shared with sign-ins.
	MaxResetRequests = 3
)
