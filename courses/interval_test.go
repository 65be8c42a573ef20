package courses

import (
	"testing"
	"time"
)

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in      string
		want    Interval
		wantErr bool
	}{
		{in: "12 months", want: Interval{12, Month}},
		{in: "1 month", want: Interval{1, Month}},
		{in: "90 days", want: Interval{90, Day}},
		{in: "1 day", want: Interval{1, Day}},
		{in: "2 weeks", want: Interval{2, Week}},
		{in: "1 year", want: Interval{1, Year}},
		{in: "  3   Years ", want: Interval{3, Year}},
		{in: "100 years", want: Interval{100, Year}},
		{in: "", wantErr: true},
		{in: "12", wantErr: true},
		{in: "months", wantErr: true},
		{in: "0 days", wantErr: true},
		{in: "-1 days", wantErr: true},
		{in: "1.5 years", wantErr: true},
		{in: "twelve months", wantErr: true},
		{in: "12 monts", wantErr: true},
		{in: "12mo", wantErr: true},
		{in: "1 year 2 months", wantErr: true},
		{in: "101 years", wantErr: true},
		{in: "99999999999999999999 days", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseInterval(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseInterval(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseInterval(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIntervalStringReadsBack(t *testing.T) {
	for in, want := range map[Interval]string{
		{1, Day}: "1 day", {90, Day}: "90 days", {1, Week}: "1 week", {2, Week}: "2 weeks",
		{1, Month}: "1 month", {12, Month}: "12 months", {1, Year}: "1 year", {3, Year}: "3 years",
	} {
		if got := in.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", in, got, want)
		}
		if back, err := ParseInterval(want); err != nil || back != in {
			t.Errorf("ParseInterval(%q) = %v, %v, want %v", want, back, err, in)
		}
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }

func TestIntervalCalendarArithmetic(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func(Interval, time.Time) time.Time
		i    Interval
		from time.Time
		want time.Time
	}{
		{"31 Jan + 1 month is 29 Feb in a leap year", Interval.AddTo, Interval{1, Month}, date(2024, 1, 31), date(2024, 2, 29)},
		{"31 Jan + 1 month is 28 Feb otherwise", Interval.AddTo, Interval{1, Month}, date(2025, 1, 31), date(2025, 2, 28)},
		{"30 Nov + 3 months clamps to 28 Feb", Interval.AddTo, Interval{3, Month}, date(2025, 11, 30), date(2026, 2, 28)},
		{"31 Oct + 1 month clamps to 30 Nov", Interval.AddTo, Interval{1, Month}, date(2024, 10, 31), date(2024, 11, 30)},
		{"29 Feb + 1 year is 28 Feb", Interval.AddTo, Interval{1, Year}, date(2024, 2, 29), date(2025, 2, 28)},
		{"29 Feb + 4 years is 29 Feb", Interval.AddTo, Interval{4, Year}, date(2024, 2, 29), date(2028, 2, 29)},
		{"12 months is 1 year", Interval.AddTo, Interval{12, Month}, date(2024, 3, 10), date(2025, 3, 10)},
		{"90 days", Interval.AddTo, Interval{90, Day}, date(2024, 3, 10), date(2024, 6, 8)},
		{"2 weeks", Interval.AddTo, Interval{2, Week}, date(2024, 12, 25), date(2025, 1, 8)},
		{"a day across a DST change keeps the wall clock", Interval.AddTo, Interval{1, Day},
			time.Date(2024, 3, 9, 12, 0, 0, 0, la), time.Date(2024, 3, 10, 12, 0, 0, 0, la)},
		{"31 Mar - 1 month is 29 Feb in a leap year", Interval.SubFrom, Interval{1, Month}, date(2024, 3, 31), date(2024, 2, 29)},
		{"31 Mar - 1 month is 28 Feb otherwise", Interval.SubFrom, Interval{1, Month}, date(2025, 3, 31), date(2025, 2, 28)},
		{"31 May - 3 months clamps to 29 Feb", Interval.SubFrom, Interval{3, Month}, date(2024, 5, 31), date(2024, 2, 29)},
		{"1 Mar - 1 day is 29 Feb in a leap year", Interval.SubFrom, Interval{1, Day}, date(2024, 3, 1), date(2024, 2, 29)},
		{"29 Feb - 1 year is 28 Feb", Interval.SubFrom, Interval{1, Year}, date(2024, 2, 29), date(2023, 2, 28)},
		{"10 Mar - 2 months", Interval.SubFrom, Interval{2, Month}, date(2026, 3, 10), date(2026, 1, 10)},
		{"8 Jan - 2 weeks", Interval.SubFrom, Interval{2, Week}, date(2025, 1, 8), date(2024, 12, 25)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.op(tt.i, tt.from)
			if !got.Equal(tt.want) || got.Location() != tt.want.Location() {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWindowMustBeShorterThanRefresher(t *testing.T) {
	tests := []struct {
		refresher, window string
		fits              bool
	}{
		{"12 months", "30 days", true},
		{"1 year", "2 months", true},
		{"1 year", "11 months", true},
		{"1 year", "12 months", false},
		{"1 year", "1 year", false},
		{"1 month", "3 weeks", true},
		{"1 month", "4 weeks", false}, // February 2025 is exactly 4 weeks
		{"1 month", "30 days", false}, // 31 Jan + 1 month - 30 days = 29 Jan
		{"90 days", "3 months", false},
		{"2 weeks", "13 days", true},
	}
	for _, tt := range tests {
		r, _ := ParseInterval(tt.refresher)
		w, _ := ParseInterval(tt.window)
		if got := windowFits(r, w); got != tt.fits {
			t.Errorf("windowFits(%s, %s) = %v, want %v", tt.refresher, tt.window, got, tt.fits)
		}
	}
}
