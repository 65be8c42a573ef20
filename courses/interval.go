package courses

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of an Interval.
type Unit int

const (
	Day Unit = iota
	Week
	Month
	Year
)

// names holds the singular and plural spelling of each unit.
var unitNames = [...][2]string{
	Day:   {"day", "days"},
	Week:  {"week", "weeks"},
	Month: {"month", "months"},
	Year:  {"year", "years"},
}

// maxN caps each unit at about a century: longer refreshers are surely
// typos, and the cap keeps date arithmetic far from overflow.
var maxN = [...]int{Day: 36525, Week: 5218, Month: 1200, Year: 100}

// Interval is a calendar length such as "12 months" or "90 days". Months and
// years are calendar months and years, not a fixed number of days, so that a
// yearly refresher falls on the same date every year.
type Interval struct {
	N    int
	Unit Unit
}

// ParseInterval reads "<N> <unit>", where unit is day, week, month or year,
// singular or plural, in any case: "12 months", "1 year", "90 days".
// N must be at least 1. The error is a sentence a trainer can act on.
func ParseInterval(s string) (Interval, error) {
	fields := strings.Fields(strings.ToLower(s))
	if len(fields) != 2 {
		return Interval{}, fmt.Errorf("%q is not an interval: write a number and days, weeks, months or years, such as \"12 months\"", s)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil {
		return Interval{}, fmt.Errorf("%q is not an interval: it must start with a whole number, such as \"12 months\"", s)
	}
	unit := Unit(-1)
	for u, names := range unitNames {
		if fields[1] == names[0] || fields[1] == names[1] {
			unit = Unit(u)
		}
	}
	if unit < 0 {
		return Interval{}, fmt.Errorf("%q is not an interval: the unit must be days, weeks, months or years", s)
	}
	if n < 1 {
		return Interval{}, fmt.Errorf("%q is not an interval: the number must be at least 1", s)
	}
	if n > maxN[unit] {
		return Interval{}, fmt.Errorf("%q is too long: an interval can be at most 100 years", s)
	}
	return Interval{N: n, Unit: unit}, nil
}

// String returns the interval as ParseInterval reads it: "1 year", "12 months".
func (i Interval) String() string {
	if i.Unit < Day || i.Unit > Year {
		return fmt.Sprintf("%d ?", i.N)
	}
	name := unitNames[i.Unit][1]
	if i.N == 1 {
		name = unitNames[i.Unit][0]
	}
	return fmt.Sprintf("%d %s", i.N, name)
}

// IsZero reports whether the interval is unset.
func (i Interval) IsZero() bool { return i.N == 0 }

// AddTo returns t moved forward by the interval on the calendar of t's
// location, keeping the wall-clock time. A day that does not exist in the
// target month clamps to its last day: 31 Jan + 1 month = 28 or 29 Feb, and
// 29 Feb 2024 + 1 year = 28 Feb 2025 (time.AddDate would overflow into March).
func (i Interval) AddTo(t time.Time) time.Time { return i.shift(t, i.N) }

// SubFrom returns t moved back by the interval, with the same clamping as
// AddTo: 31 Mar - 1 month = 28 or 29 Feb.
func (i Interval) SubFrom(t time.Time) time.Time { return i.shift(t, -i.N) }

func (i Interval) shift(t time.Time, n int) time.Time {
	switch i.Unit {
	case Day:
		return t.AddDate(0, 0, n)
	case Week:
		return t.AddDate(0, 0, 7*n)
	case Month:
		return addMonths(t, n)
	case Year:
		return addMonths(t, 12*n)
	}
	return t
}

func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	// Day 0 of the month after the target is the target's last day.
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+time.Month(n), min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}
