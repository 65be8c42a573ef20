package services

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/people"
)

// signInMethods gives the people service the sign-in methods beside the
// password that the configuration allows: single sign-on when an issuer is
// set, passkeys when the base URL can be a WebAuthn relying party.
func signInMethods(p *people.Service, cfg *config.Config, log *slog.Logger) {
	if cfg.SSO.Enabled() {
		p.SSO = &people.SSO{Config: cfg.SSO, RedirectURL: cfg.BaseURL + "/sso/callback",
			HTTP: &http.Client{Timeout: 10 * time.Second}}
	}
	pk, err := people.NewPasskeys(cfg.BaseURL)
	if err != nil {
		log.Info("passkeys are off", "reason", err, "base_url", cfg.BaseURL)
		return
	}
	p.Passkeys = pk
}
