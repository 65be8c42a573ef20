package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
)

// userCmd: "user add" creates a person and prints their one-time invitation
// link, as the admin page does. A person has an email, a username (staff
// without email), or both.
func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`usage: frontline user add (--email E | --username U) --name N --role learner|trainer|manager|admin`)
	}
	fl := flag.NewFlagSet("frontline user add", flag.ContinueOnError)
	fl.SetOutput(stderr)
	email := fl.String("email", "", "email address")
	username := fl.String("username", "", "username, for someone without email ("+people.UsernameHint+")")
	name := fl.String("name", "", "full name")
	role := fl.String("role", "learner", "learner, trainer, manager or admin")
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	e, err := open(ctx, "user", fl.Args(), stderr, getenv)
	if err != nil {
		return err
	}
	defer e.db.Close()
	ppl := &people.Service{Store: e.st, BaseURL: e.cfg.BaseURL, Now: time.Now}
	u, link, err := ppl.Add(ctx, nil, people.Person{Name: *name, Email: strings.TrimSpace(*email), Username: strings.TrimSpace(*username), Role: auth.Role(*role)})
	var fe people.FormError
	if errors.As(err, &fe) {
		var msgs []string
		for k, v := range fe {
			msgs = append(msgs, "--"+k+": "+v)
		}
		return errors.New(strings.Join(msgs, "; "))
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s <%s> as %s.\nInvitation link (works once, for 7 days):\n%s\n", u.Name, u.Identifier(), auth.Role(u.Role).Label(), link)
	return nil
}
