package reports

import (
	"bufio"
	"encoding/csv"
	"io"
)

// CSV writes a spreadsheet-safe CSV file: UTF-8 with a byte-order mark (so
// Excel reads non-Latin names right), commas and quotes escaped by
// encoding/csv, and every cell a spreadsheet would run as a formula
// neutralised (see SafeCell). Rows go out as they are written: Flush every
// so often keeps memory constant whatever the size of the export.
type CSV struct {
	out io.Writer
	w   *csv.Writer
	buf []string
	n   int
}

// FlushRows is how many rows go out per flush: few enough to keep memory
// flat, enough that writes are not one system call per row.
const FlushRows = 256

// NewCSV starts a file on w with the byte-order mark. If w has a Flush
// method (a bufio.Writer on a connection) it is flushed every FlushRows
// rows, so a failed write — the client went away — stops the export early.
func NewCSV(w io.Writer) (*CSV, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	return &CSV{out: w, w: csv.NewWriter(w)}, nil
}

// Row writes one row, each cell made safe.
func (c *CSV) Row(cells ...string) error {
	c.buf = c.buf[:0]
	for _, s := range cells {
		c.buf = append(c.buf, SafeCell(s))
	}
	if err := c.w.Write(c.buf); err != nil {
		return err
	}
	if c.n++; c.n%FlushRows == 0 {
		return c.Flush()
	}
	return nil
}

// Flush sends what is buffered on.
func (c *CSV) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	if f, ok := c.out.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// SafeCell defuses a cell a spreadsheet would evaluate: one starting with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text (OWASP's CSV injection advice).
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// StripBOM undoes NewCSV's mark for readers that do not expect it.
func StripBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}
