package auth

import "time"

// Sign-in throttling. Every password check is reserved in the database
// before it runs, and counted for ThrottleWindow; counting and reserving
// happen in one transaction that locks the address's row, so however many
// requests arrive at once, on however many instances, at most the cap of
// checks run. A correct password releases the reservations of its (account,
// address) pair, so the rows left in the window are failures.
//
// The limits:
//   - one account from one address: MaxPairFailures, then refused until the
//     oldest failure leaves the window;
//   - one address, whatever the account: MaxAddressFailures (spraying one
//     password over many accounts). It is high because a shop's staff sign
//     in from behind one NAT address at shift start, and the attempts still
//     waiting for a check (up to the pool's queue, during a rush) count
//     until they are checked: at 30, a busy morning in one big store could
//     lock everyone there out. Accounts keep their own, much lower, limits;
//   - one account from every address: once it has SlowDownAfter failures,
//     an address that has itself failed on it waits SlowDown after its last
//     attempt. An address with no failures on the account is never slowed,
//     so someone guessing from elsewhere cannot lock the real person out.
//
// A wait is answered (429 with Retry-After), never slept: no goroutine, and
// no database transaction, is held for an attacker.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxPairFailures    = 5
	MaxAddressFailures = 100
	SlowDownAfter      = 10
)

// Why a sign-in was refused before its check, for the audit log.
const (
	ThrottledPair     = "account from this address"
	ThrottledAddress  = "address"
	ThrottledSlowDown = "account under attack, this address has failed"
)

// SignInHistory is what the policy needs to know about the attempts still
// in the window: unreleased checks of this account from this address (the
// pair), of this address for any account, and of this account from anywhere.
type SignInHistory struct {
	Pair, Address, Account int
	PairOldest, PairLatest time.Time
	AddressOldest          time.Time
}

// Throttle says whether a check may run now: "" when it may, otherwise the
// reason and how long until it may.
func Throttle(h SignInHistory, now time.Time) (reason string, wait time.Duration) {
	switch {
	case h.Pair >= MaxPairFailures:
		return ThrottledPair, h.PairOldest.Add(ThrottleWindow).Sub(now)
	case h.Address >= MaxAddressFailures:
		return ThrottledAddress, h.AddressOldest.Add(ThrottleWindow).Sub(now)
	case h.Pair > 0:
		if d := h.PairLatest.Add(SlowDown(h.Account)).Sub(now); d > 0 {
			return ThrottledSlowDown, d
		}
	}
	return "", 0
}

// SlowDown is how long an address that has failed on an account waits
// between attempts, given the account's failures from every address: none
// below SlowDownAfter, then one second doubling with each failure, at most
// ThrottleWindow.
func SlowDown(accountFailures int) time.Duration {
	if accountFailures < SlowDownAfter {
		return 0
	}
	return min(time.Second<<min(accountFailures-SlowDownAfter, 16), ThrottleWindow)
}
