package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The OpenAPI document is written by hand (openapi.json) rather than
// generated: handlers stay plain Fiber handlers like app/web's, and the
// document says what each operation means, not only its shape. A test
// keeps it true: every route is in it, and every operation is called and
// its real answers validated against it (kin-openapi).
//
//go:embed openapi.json
var openAPI []byte

// document is the OpenAPI document with this instance's URL as its server.
func document(baseURL string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		return nil, fmt.Errorf("api: openapi.json does not parse: %w", err)
	}
	doc["servers"] = []any{map[string]any{"url": baseURL + "/api/v1"}}
	return json.MarshalIndent(doc, "", " ")
}

func (a *API) openapi(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(a.doc)
}

// refOp is one operation as the reference page lists it.
type refOp struct {
	Method, Path, Summary, Description, Scope string
	Params                                    []refParam
	Body                                      string
	Responses                                 []string
}

type refParam struct{ Name, In, Description string }

var referencePage = template.Must(template.New("reference").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frontline API reference</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="page">
<h1>Frontline API reference</h1>
<p>{{.Intro}}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). SCIM 2.0 provisioning is at <code>/scim/v2</code> (a token with the <code>scim</code> scope).</p>
{{range .Ops}}<section id="{{.Method}}-{{.Path}}">
<h2><code>{{.Method}} /api/v1{{.Path}}</code></h2>
<p>{{.Summary}}.{{if .Description}} {{.Description}}{{end}}</p>
<p>Scope: <code>{{.Scope}}</code></p>
{{if .Params}}<ul>{{range .Params}}<li><code>{{.Name}}</code> ({{.In}}){{if .Description}}: {{.Description}}{{end}}</li>{{end}}</ul>{{end}}
{{if .Body}}<p>Body: <code>{{.Body}}</code></p>{{end}}
<p>Answers: {{range $i, $r := .Responses}}{{if $i}}, {{end}}{{$r}}{{end}}</p>
</section>
{{end}}
<section id="problems"><h2>Errors</h2>
<p>Every error is an RFC 9457 problem (<code>application/problem+json</code>) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and, for invalid fields, <code>errors</code> (field → reason). Types:</p>
<ul>
<li id="problem-unauthorized"><code>unauthorized</code> (401): no token, or an unknown, revoked or expired one.</li>
<li id="problem-insufficient-scope"><code>insufficient-scope</code> (403): the token lacks the operation's scope.</li>
<li id="problem-rate-limited"><code>rate-limited</code> (429): wait for Retry-After seconds.</li>
<li id="problem-not-found"><code>not-found</code> (404), <code>conflict</code> (409), <code>invalid</code> (422), <code>bad-request</code> and <code>bad-json</code> (400), <code>unsupported-media-type</code> (415).</li>
<li id="problem-idempotency-key"><code>idempotency-key</code>: the key is in use by a running request (409) or was used for a different request (422).</li>
<li id="problem-unavailable"><code>unavailable</code> (503): the database is busy or down; retry after Retry-After.</li>
<li id="problem-internal"><code>internal</code> (500): logged on our side.</li>
</ul></section>
</main></body></html>
`))

// reference is a readable page made from the same document.
func (a *API) reference(c *fiber.Ctx) error {
	var doc struct {
		Info struct {
			Description string `json:"description"`
		} `json:"info"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		return err
	}
	var ops []refOp
	for path, item := range doc.Paths {
		var shared []refParam
		if raw, ok := item["parameters"]; ok {
			_ = json.Unmarshal(raw, &shared)
		}
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var o struct {
				Summary     string              `json:"summary"`
				Description string              `json:"description"`
				Scope       string              `json:"x-scope"`
				Parameters  []refParam          `json:"parameters"`
				RequestBody json.RawMessage     `json:"requestBody"`
				Responses   map[string]struct{} `json:"responses"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return err
			}
			op := refOp{Method: strings.ToUpper(method), Path: path, Summary: o.Summary, Description: o.Description, Scope: o.Scope}
			for _, p := range append(shared, o.Parameters...) {
				if p.Name != "" {
					op.Params = append(op.Params, p)
				} else {
					op.Params = append(op.Params, refParam{Name: "Idempotency-Key", In: "header", Description: "a retry with the same key gets the first answer"})
				}
			}
			if len(o.RequestBody) > 0 {
				var b struct {
					Content map[string]struct {
						Schema struct {
							Ref string `json:"$ref"`
						} `json:"schema"`
					} `json:"content"`
				}
				_ = json.Unmarshal(o.RequestBody, &b)
				op.Body = strings.TrimPrefix(b.Content["application/json"].Schema.Ref, "#/components/schemas/")
			}
			for code := range o.Responses {
				op.Responses = append(op.Responses, code)
			}
			sort.Strings(op.Responses)
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	var b bytes.Buffer
	if err := referencePage.Execute(&b, map[string]any{"Intro": doc.Info.Description, "Ops": ops}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(b.Bytes())
}
