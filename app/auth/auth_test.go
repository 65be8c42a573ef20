package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %s", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	cases := []struct {
		hash, password string
		want           bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"", "correct horse battery", false}, // invited, no password yet
		{"$argon2id$v=19$m=1,t=1,p=1$bad$bad", "x", false},
		{"$2a$10$notargon", "x", false},
	}
	for _, c := range cases {
		if got := CheckPassword(c.hash, c.password); got != c.want {
			t.Errorf("CheckPassword(%.20q, %q) = %v", c.hash, c.password, got)
		}
	}
}

func TestShortPasswordsAreRefused(t *testing.T) {
	if _, err := HashPassword("123456789"); err != ErrWeakPassword {
		t.Fatalf("err = %v", err)
	}
}

func TestTokensAreRandomAndHashed(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if HashToken(a) == a || len(HashToken(a)) != 64 || HashToken(a) != HashToken(a) {
		t.Fatal("HashToken is not a stable sha256 hex")
	}
	if Equal("", "") {
		t.Fatal("empty secrets must never compare equal")
	}
}

func TestRoleAllows(t *testing.T) {
	cases := []struct {
		r, need Role
		want    bool
	}{
		{Learner, Learner, true}, {Trainer, Learner, true}, {Admin, Learner, true},
		{Learner, Admin, false}, {Trainer, Admin, false}, {Manager, Admin, false}, {Admin, Admin, true},
		{Trainer, Trainer, true}, {Manager, Trainer, false}, {Admin, Trainer, true},
		{Learner, Manager, false}, {Manager, Manager, true},
	}
	for _, c := range cases {
		if got := c.r.Allows(c.need); got != c.want {
			t.Errorf("%s.Allows(%s) = %v", c.r, c.need, got)
		}
	}
	if Role("root").Valid() || !Admin.Valid() {
		t.Fatal("Valid is wrong")
	}
}
