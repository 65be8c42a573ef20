// Package loadtest holds what the load tools in bench/ share: the rule that
// they load only this machine, and how they report latencies and errors.
package loadtest

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"time"
)

// Loopback parses raw and refuses any server but 127.0.0.1 or [::1], and
// any scheme not in schemes: the tools generate load and must not be
// pointed at another machine.
func Loopback(raw string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	ip := net.ParseIP(u.Hostname())
	if !slices.Contains(schemes, u.Scheme) || ip == nil || !(ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback)) {
		return nil, fmt.Errorf("%s: only %v on 127.0.0.1 or [::1] may be loaded", raw, schemes)
	}
	return u, nil
}

// Percentile is the p-th (0..1) of ds, nearest rank; 0 for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// PrintErrors writes "errors: none", or one line per kind in name order.
func PrintErrors(w io.Writer, errs map[string]int) {
	if len(errs) == 0 {
		fmt.Fprintln(w, "errors: none")
		return
	}
	kinds := make([]string, 0, len(errs))
	for k := range errs {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "error %s: %d\n", k, errs[k])
	}
}
