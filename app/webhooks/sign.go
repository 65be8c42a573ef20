package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

const secretPrefix = "whsec_"

// ErrBadSecret is a secret that is not "whsec_" and base64 of 24 to 64 bytes.
var ErrBadSecret = errors.New("webhooks: a secret is whsec_ followed by 24 to 64 bytes in base64")

// secretKey is the HMAC key a secret stands for.
func secretKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || !strings.HasPrefix(secret, secretPrefix) || len(key) < 24 || len(key) > 64 {
		return nil, ErrBadSecret
	}
	return key, nil
}

// Sign is the webhook-signature header of one message, as the Standard
// Webhooks specification has it: "v1," and the base64 HMAC-SHA256, keyed
// by the secret's bytes, of "id.timestamp.body" (the timestamp in Unix
// seconds, the same value as the webhook-timestamp header).
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
