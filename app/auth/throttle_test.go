package auth

import (
	"testing"
	"time"
)

func TestThrottleRefusesOnlyWhatThePolicyNames(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	cases := []struct {
		name   string
		h      SignInHistory
		reason string
		wait   time.Duration
	}{
		{"nothing yet", SignInHistory{}, "", 0},
		{"a few failures from here", SignInHistory{Pair: MaxPairFailures - 1, Address: MaxPairFailures - 1, Account: MaxPairFailures - 1,
			PairOldest: ago(10 * time.Minute), PairLatest: ago(time.Second)}, "", 0},
		{"pair at its cap waits for its oldest failure to leave the window", SignInHistory{Pair: MaxPairFailures, Address: MaxPairFailures, Account: MaxPairFailures,
			PairOldest: ago(10 * time.Minute), PairLatest: ago(time.Minute)}, ThrottledPair, 5 * time.Minute},
		{"address at its cap, any account", SignInHistory{Address: MaxAddressFailures, AddressOldest: ago(14 * time.Minute)}, ThrottledAddress, time.Minute},
		{"account attacked elsewhere, clean address goes through", SignInHistory{Account: 500}, "", 0},
		{"account attacked, this address failed just now", SignInHistory{Pair: 1, Address: 1, Account: SlowDownAfter + 3,
			PairOldest: ago(2 * time.Second), PairLatest: ago(2 * time.Second)}, ThrottledSlowDown, 6 * time.Second},
		{"account attacked, this address failed long enough ago", SignInHistory{Pair: 1, Address: 1, Account: SlowDownAfter + 3,
			PairOldest: ago(9 * time.Second), PairLatest: ago(9 * time.Second)}, "", 0},
		{"below the slow-down threshold a failed address is not slowed", SignInHistory{Pair: 2, Address: 2, Account: SlowDownAfter - 1,
			PairOldest: ago(time.Second), PairLatest: ago(0)}, "", 0},
		{"slow-down never exceeds the window", SignInHistory{Pair: 1, Address: 1, Account: 10_000,
			PairOldest: ago(0), PairLatest: ago(0)}, ThrottledSlowDown, ThrottleWindow},
	}
	for _, c := range cases {
		reason, wait := Throttle(c.h, now)
		if reason != c.reason || wait != c.wait {
			t.Errorf("%s: Throttle = %q, %s; want %q, %s", c.name, reason, wait, c.reason, c.wait)
		}
	}
}

func TestSlowDownGrowsWithTheAccountsFailures(t *testing.T) {
	cases := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {SlowDownAfter - 1, 0}, {SlowDownAfter, time.Second}, {SlowDownAfter + 1, 2 * time.Second},
		{SlowDownAfter + 6, 64 * time.Second}, {SlowDownAfter + 20, ThrottleWindow}, {1 << 30, ThrottleWindow},
	}
	for _, c := range cases {
		if got := SlowDown(c.failures); got != c.want {
			t.Errorf("SlowDown(%d) = %s, want %s", c.failures, got, c.want)
		}
	}
}
