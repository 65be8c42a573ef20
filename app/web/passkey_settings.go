package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

type passkeysPage struct {
	Passkeys []store.Passkey
	On       bool   // the base URL can be a relying party
	Saved    string // what was just done: added, renamed, removed
	Error    string
	FailedID int64 // the passkey whose rename failed: its field keeps what was typed
	Typed    string
}

// passkeysShow lists the person's passkeys, with a form to add one.
func (s *Server) passkeysShow(c *fiber.Ctx) error {
	ps, err := s.People.PasskeyList(ctx(c), userOf(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, "passkeys", "Passkeys", passkeysPage{Passkeys: ps, On: s.People.PasskeysOn(), Saved: clone(c.Query("saved"))})
}

// passkeyAddOptions starts registering a passkey for the signed-in person.
func (s *Server) passkeyAddOptions(c *fiber.Ctx) error {
	opts, err := s.People.BeginPasskeyAdd(ctx(c), userOf(c))
	if errors.Is(err, people.ErrPasskeysOff) {
		return passkeyError(c, fiber.StatusNotFound, "Passkeys are not available on this site.")
	} else if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(opts)
}

// passkeyAdd stores the new passkey once the authenticator's answer checks out.
func (s *Server) passkeyAdd(c *fiber.Ctx) error {
	a, err := readPasskeyAnswer(c)
	if err != nil {
		return passkeyError(c, fiber.StatusBadRequest, err.Error())
	}
	_, err = s.People.FinishPasskeyAdd(ctx(c), actor(c), a.Key, a.Name, a.Credential)
	var fe people.FormError
	switch {
	case errors.As(err, &fe):
		return passkeyError(c, fiber.StatusBadRequest, fe["name"])
	case errors.Is(err, people.ErrPasskeyFailed):
		return passkeyError(c, fiber.StatusBadRequest, "The passkey could not be added: the request expired or the passkey is registered already. Try again.")
	case errors.Is(err, people.ErrPasskeysOff):
		return passkeyError(c, fiber.StatusNotFound, "Passkeys are not available on this site.")
	case err != nil:
		return err
	}
	return c.JSON(fiber.Map{"next": "/settings/passkeys?saved=added"})
}

func (s *Server) passkeyRename(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	err = s.People.RenamePasskey(ctx(c), actor(c), int64(id), clone(c.FormValue("name")))
	var fe people.FormError
	if errors.As(err, &fe) {
		ps, lerr := s.People.PasskeyList(ctx(c), userOf(c).ID)
		if lerr != nil {
			return lerr
		}
		c.Status(fiber.StatusBadRequest)
		return s.render(c, "passkeys", "Passkeys", passkeysPage{Passkeys: ps, On: s.People.PasskeysOn(), Error: fe["name"],
			FailedID: int64(id), Typed: clone(c.FormValue("name"))})
	} else if err != nil {
		return err
	}
	return c.Redirect("/settings/passkeys?saved=renamed", fiber.StatusSeeOther)
}

func (s *Server) passkeyRemove(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.People.RemovePasskey(ctx(c), actor(c), int64(id)); err != nil {
		return err
	}
	return c.Redirect("/settings/passkeys?saved=removed", fiber.StatusSeeOther)
}
