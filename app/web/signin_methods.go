package web

import (
	"github.com/gofiber/fiber/v2"
)

// signInMethods are the sign-in page's ways in beside the password.
type signInMethods struct {
	SSOName  string // "Sign in with <SSOName>"; "" when single sign-on is off
	SSOOnly  bool   // the password form is for admins only
	Passkeys bool   // the base URL can be a WebAuthn relying party
}

// renderLogin renders the sign-in page with the methods configured.
func (s *Server) renderLogin(c *fiber.Ctx, f loginForm) error {
	f.Methods = signInMethods{SSOName: s.People.SSOName(), SSOOnly: s.People.SSOOnly(), Passkeys: s.People.PasskeysOn()}
	return s.render(c, "login", "Sign in", f)
}

func ssoOnlyMessage(name string) string {
	return "Your organisation signs in with " + name + ": use the button above. Only administrators may sign in here with a password or passkey."
}
