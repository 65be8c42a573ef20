package courses

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// DecodeDraw reads a stored draw, the JSON that json.Marshal writes for a
// Draw. A module page reads its draw on every view, and encoding/json's
// reflection was a tenth of the page; the form json.Marshal writes for
// IDs without escapes is read here by hand instead, and anything else (an
// escape, a space, another key or shape, bytes that are not UTF-8) goes
// to encoding/json, which decides. Both give the same Draw: a test and a
// fuzz target compare them.
func DecodeDraw(s string) (Draw, error) {
	if d, ok := decodeDrawPlain(s); ok {
		return d, nil
	}
	var d Draw
	err := json.Unmarshal([]byte(s), &d)
	return d, err
}

// decodeDrawPlain reads `[{"q":"id","c":["a","b"]},…]` exactly as
// json.Marshal writes it; ok is false for anything else.
func decodeDrawPlain(s string) (d Draw, ok bool) {
	p := drawReader{s: s}
	if !p.eat("[") {
		return nil, false
	}
	d = make(Draw, 0, strings.Count(s, `{"q":`))
	if p.eat("]") {
		return d, p.at == len(s)
	}
	for {
		if !p.eat(`{"q":`) {
			return nil, false
		}
		id, ok := p.str()
		if !ok {
			return nil, false
		}
		dq := DrawnQuestion{ID: id}
		if p.eat(`,"c":[`) {
			for {
				c, ok := p.str()
				if !ok {
					return nil, false // an empty list too: json.Marshal leaves it out
				}
				dq.Choices = append(dq.Choices, c)
				if p.eat("]") {
					break
				}
				if !p.eat(",") {
					return nil, false
				}
			}
		}
		if !p.eat("}") {
			return nil, false
		}
		d = append(d, dq)
		if p.eat("]") {
			return d, p.at == len(s)
		}
		if !p.eat(",") {
			return nil, false
		}
	}
}

type drawReader struct {
	s  string
	at int
}

func (p *drawReader) eat(lit string) bool {
	if strings.HasPrefix(p.s[p.at:], lit) {
		p.at += len(lit)
		return true
	}
	return false
}

// str reads a string with no escapes and no control characters, in UTF-8.
func (p *drawReader) str() (string, bool) {
	if !p.eat(`"`) {
		return "", false
	}
	rest := p.s[p.at:]
	end := strings.IndexByte(rest, '"')
	if end < 0 {
		return "", false
	}
	v := rest[:end]
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' || v[i] < 0x20 {
			return "", false
		}
	}
	if !utf8.ValidString(v) {
		return "", false
	}
	p.at += end + 1
	return v, true
}
