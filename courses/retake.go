package courses

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxRetakeAfter caps retake_after: a longer pause would keep someone who
// failed from finishing a course they are due to complete.
const MaxRetakeAfter = 7 * 24 * time.Hour

// pauseUnits are the units retake_after may use, singular and plural.
var pauseUnits = []struct {
	one, many string
	d         time.Duration
}{
	{"minute", "minutes", time.Minute},
	{"hour", "hours", time.Hour},
	{"day", "days", 24 * time.Hour},
}

// ParsePause reads a pause such as retake_after's: "<N> <unit>", where unit
// is minutes, hours or days, singular or plural, in any case: "10 minutes",
// "1 hour", "2 days". It is written the way refresher and window are, so a
// trainer learns one syntax. N must be at least 1 and the pause at most
// MaxRetakeAfter. The error is a sentence a trainer can act on.
func ParsePause(s string) (time.Duration, error) {
	fields := strings.Fields(strings.ToLower(s))
	if len(fields) != 2 {
		return 0, fmt.Errorf("%q is not a pause: write a number and minutes, hours or days, such as \"10 minutes\"", s)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil {
		return 0, fmt.Errorf("%q is not a pause: it must start with a whole number, such as \"10 minutes\"", s)
	}
	for _, u := range pauseUnits {
		if fields[1] != u.one && fields[1] != u.many {
			continue
		}
		if n < 1 {
			return 0, fmt.Errorf("%q is not a pause: the number must be at least 1; leave the setting out for no pause", s)
		}
		if int64(n) > int64(MaxRetakeAfter/u.d) {
			return 0, fmt.Errorf("%q is too long: a pause can be at most 7 days, or people who fail could not finish a course that is due", s)
		}
		return time.Duration(n) * u.d, nil
	}
	return 0, fmt.Errorf("%q is not a pause: the unit must be minutes, hours or days", s)
}

// retakeAfter reads course.md's retake_after; 0 when it is not usable (the
// problem has been reported).
func (p *courseParser) retakeAfter(path string, fd field) time.Duration {
	s, ok := p.text(path, fd)
	if !ok {
		return 0
	}
	d, err := ParsePause(s)
	if err != nil {
		p.errorf(path, fd.line, "retake_after: %v", err)
		return 0
	}
	return d
}
