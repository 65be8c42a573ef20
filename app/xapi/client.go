package xapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client sends statements to an LRS. The endpoint is the operator's own
// configuration, so unlike webhooks it may be on a private network.
type Client struct {
	Endpoint string // the LRS's xAPI root, such as https://lrs.example.com/xapi/
	Username string
	Password string
	HTTP     *http.Client
}

// NewClient returns a Client with a timeout.
func NewClient(endpoint, user, password string) *Client {
	return &Client{Endpoint: endpoint, Username: user, Password: password, HTTP: &http.Client{Timeout: 20 * time.Second}}
}

// ErrRefused is a statement the LRS refuses for good (400, 403, 409, …):
// sending it again would be refused again.
var ErrRefused = errors.New("xapi: the LRS refused the statement")

// Send PUTs one statement (its JSON) under its id: PUT is idempotent, so a
// retry after a lost answer stores nothing twice. It returns the status code.
func (c *Client) Send(ctx context.Context, body []byte) (int, error) {
	var st struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &st); err != nil || st.ID == "" {
		return 0, fmt.Errorf("%w: no statement id", ErrRefused)
	}
	u := strings.TrimRight(c.Endpoint, "/") + "/statements?statementId=" + url.QueryEscape(st.ID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("xapi: bad endpoint %q: %w", c.Endpoint, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Experience-API-Version", Version)
	if c.Username != "" || c.Password != "" {
		req.SetBasicAuth(c.Username, c.Password)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("xapi: unable to send statement %s: %w", st.ID, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return resp.StatusCode, nil
	case resp.StatusCode >= 400 && resp.StatusCode <= 499 && resp.StatusCode != 401 && resp.StatusCode != 408 && resp.StatusCode != 429:
		return resp.StatusCode, fmt.Errorf("%w %s: %s %s", ErrRefused, st.ID, resp.Status, bytes.TrimSpace(msg))
	}
	return resp.StatusCode, fmt.Errorf("xapi: the LRS answered %s for statement %s: %s", resp.Status, st.ID, bytes.TrimSpace(msg))
}
