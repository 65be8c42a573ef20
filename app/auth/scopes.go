package auth

import (
	"slices"
	"strings"
)

// Scope is what an API token may do. A token holds a few; each API route
// needs one.
type Scope string

const (
	PeopleRead  Scope = "people:read"  // people, teams, assignments
	PeopleWrite Scope = "people:write" // create and change people, teams, assignments
	ReportsRead Scope = "reports:read" // enrolment states and completions
	CoursesRead Scope = "courses:read" // courses, versions and their source, certificates
	SCIM        Scope = "scim"         // SCIM provisioning (/scim/v2)
)

// Scopes lists the scopes in the order forms show them.
var Scopes = []Scope{PeopleRead, PeopleWrite, ReportsRead, CoursesRead, SCIM}

// ParseScopes reads a space-separated list (OAuth's form), keeping known
// scopes once each, in Scopes order; ok is false if one is unknown.
func ParseScopes(s string) (out []Scope, ok bool) {
	ok = true
	for _, f := range strings.Fields(s) {
		if !slices.Contains(Scopes, Scope(f)) {
			ok = false
		}
	}
	for _, sc := range Scopes {
		if slices.Contains(strings.Fields(s), string(sc)) {
			out = append(out, sc)
		}
	}
	return out, ok
}

// JoinScopes is the stored form of a list of scopes.
func JoinScopes(scs []Scope) string {
	parts := make([]string, len(scs))
	for i, sc := range scs {
		parts[i] = string(sc)
	}
	return strings.Join(parts, " ")
}

// APITokenPrefix starts every API token, so a token pasted somewhere it
// should not be (a repository, a chat) is recognisable by secret scanners.
const APITokenPrefix = "flt_"
