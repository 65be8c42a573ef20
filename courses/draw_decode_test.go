package courses

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

// jsonDraw is what encoding/json makes of s.
func jsonDraw(s string) (Draw, error) {
	var d Draw
	err := json.Unmarshal([]byte(s), &d)
	return d, err
}

func sameAsJSON(t *testing.T, s string) {
	t.Helper()
	want, werr := jsonDraw(s)
	got, gerr := DecodeDraw(s)
	if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeDraw(%q) = %#v, %v; encoding/json: %#v, %v", s, got, gerr, want, werr)
	}
}

// TestDecodeDrawIsWhatEncodingJSONReads: draws of every shipped-style
// shape, as stored, and stored text that only encoding/json can read, or
// nobody can, read the same both ways.
func TestDecodeDrawIsWhatEncodingJSONReads(t *testing.T) {
	for _, s := range []string{
		`[]`, `[{"q":"a"}]`, `[{"q":"a","c":["x","y"]},{"q":"b"}]`, `[{"q":"ünï","c":["é"]}]`,
		`null`, ``, `[`, `[{"q":"a"}`, `[{"q":"a"},]`, `[{"q":"a","c":[]}]`, `[{"q":"a","c":["x",]}]`,
		`[{"q":"a\"b"}]`, `[{"q":"a\u00e9"}]`, `[ {"q":"a"} ]`, `[{"c":["x"],"q":"a"}]`, `[{"q":"a","x":1}]`,
		`[{"q":1}]`, `[{"q":"a"}] `, `[{"q":"a"}]x`, "[{\"q\":\"a\xffb\"}]", "[{\"q\":\"a\tb\"}]", `{"q":"a"}`,
		`[{"Q":"a"}]`, `[{"q":null}]`, `[{"q":"a","c":null}]`,
	} {
		sameAsJSON(t, s)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	m := &Module{Slug: "m"}
	for qi := range 6 {
		q := &Question{ID: "q-" + string(rune('a'+qi)), Multiple: qi%2 == 0}
		for ci := range 4 {
			q.Choices = append(q.Choices, &Choice{ID: string(rune('a'+ci)) + "1"})
		}
		m.Questions = append(m.Questions, q)
	}
	for range 50 {
		b, err := json.Marshal(m.DrawQuiz(rng, nil))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := decodeDrawPlain(string(b)); !ok {
			t.Fatalf("a stored draw was not read by hand: %s", b)
		}
		sameAsJSON(t, string(b))
	}
}

func FuzzDecodeDraw(f *testing.F) {
	for _, s := range []string{`[]`, `[{"q":"a","c":["x","y"]},{"q":"b"}]`, `[{"q":"a\"b"}]`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { sameAsJSON(t, s) })
}
