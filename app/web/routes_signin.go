package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// signInRoutes are the ways in beside the password: single sign-on
// (sso_*.go) and passkeys (passkey_*.go). routes.go calls it before its
// catch-all.
func (s *Server) signInRoutes(app *fiber.App) {
	// Public: the sign-in page's other buttons.
	// A link, not a form: the CSP's form-action 'self' stops a form whose
	// answer redirects to the provider.
	app.Get("/sso/start", s.ssoStart)
	app.Get("/sso/callback", s.ssoCallback)
	app.Post("/passkey/options", s.passkeySignInOptions)
	app.Post("/passkey/signin", s.passkeySignIn)

	// Learner: everyone manages their own passkeys.
	learner := s.need(auth.Learner)
	app.Get("/settings/passkeys", learner, s.passkeysShow)
	app.Post("/settings/passkeys/options", learner, s.passkeyAddOptions)
	app.Post("/settings/passkeys", learner, s.passkeyAdd)
	app.Post("/settings/passkeys/:id/rename", learner, s.passkeyRename)
	app.Post("/settings/passkeys/:id/remove", learner, s.passkeyRemove)
}
