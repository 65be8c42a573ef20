package courses

import "math"

// ItemSums are the sums item analysis needs over the answers to one
// question, each answer giving x (1 right, 0 not) and y, the score of the
// rest of its attempt (the share right of the attempt's other questions).
// The database adds them up; Discrimination turns them into a number.
type ItemSums struct {
	N  float64 // answers
	X  float64 // Σx: answers that were right
	Y  float64 // Σy
	XY float64 // Σxy: the rest scores of the right answers
	YY float64 // Σy²
}

// Facility is the share of answers that were right, 0..1.
func (s ItemSums) Facility() float64 {
	if s.N == 0 {
		return 0
	}
	return s.X / s.N
}

// Discrimination is the point-biserial correlation between getting the
// question right and the score on the rest of the attempt: near +1 when
// the people who do well elsewhere get it right and the others do not, near
// 0 when it tells them apart no better than chance, negative when weaker
// people get it right more often (often a wrong key or a misleading
// question). It is Pearson's r with x in {0, 1}, so x² = x. ok is false
// when r is undefined: fewer than two answers, everyone right or everyone
// wrong, or every rest score equal.
func (s ItemSums) Discrimination() (r float64, ok bool) {
	if s.N < 2 {
		return 0, false
	}
	vx := s.N*s.X - s.X*s.X
	vy := s.N*s.YY - s.Y*s.Y
	// Sums of float rest scores can leave a variance a hair above zero.
	if vx <= 1e-9 || vy <= 1e-9 {
		return 0, false
	}
	r = (s.N*s.XY - s.X*s.Y) / math.Sqrt(vx*vy)
	return max(-1, min(1, r)), true
}
