package web

import (
	"errors"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/qr"
	"github.com/frontline-lms/frontline/app/store"
)

// peoplePageSize is how many people one page of the people list shows.
const peoplePageSize = 50

type peopleFilter struct {
	Q    string
	Team int64
	Role string
}

type peoplePage struct {
	People    []store.User
	Filter    peopleFilter
	Teams     []store.Team
	Next      string // the next page's address; "" on the last
	Form      people.Person
	Errors    people.FormError
	MailOn    bool
	Uninvited int
	Handover  *handover // the invitation just made, when not mailed
	Mailed    *store.User
}

// handover is a link to pass to someone in person: the address and a QR
// code for their phone to scan.
type handover struct {
	For      store.User
	Link     string
	QR       template.HTML
	Lifetime string
}

func newHandover(u store.User, link, purpose string) (*handover, error) {
	svg, err := qr.SVG(link, "QR code of the link for "+u.Name)
	if err != nil {
		return nil, err
	}
	// qr.SVG escapes its label and writes nothing else from outside.
	return &handover{For: u, Link: link, QR: template.HTML(svg), Lifetime: linkLifetime(purpose)}, nil
}

func (s *Server) peopleList(c *fiber.Ctx) error {
	return s.renderPeople(c, peoplePage{Form: people.Person{Role: auth.Learner}})
}

// renderPeople fills the list part of the page from the query string:
// search, team, role, and the keyset cursor of the page (after=name, id).
func (s *Server) renderPeople(c *fiber.Ctx, p peoplePage) error {
	f := peopleFilter{Q: strings.TrimSpace(clone(c.Query("q"))), Role: clone(c.Query("role"))}
	if f.Role != "" && !auth.Role(f.Role).Valid() {
		return badRequest{"Choose one of the roles."}
	}
	sf := store.PeopleFilter{Query: f.Q, Role: f.Role, Limit: peoplePageSize}
	if id, err := strconv.ParseInt(c.Query("team"), 10, 64); err == nil && id > 0 {
		t, err := s.Store.Team(ctx(c), id)
		if err != nil {
			return err
		}
		f.Team, sf.Team = id, t
	}
	if id, err := strconv.ParseInt(c.Query("after_id"), 10, 64); err == nil {
		sf.After = &store.PeopleCursor{Name: clone(c.Query("after_name")), ID: id}
	}
	var next *store.PeopleCursor
	var err error
	if p.People, next, err = s.Store.SearchPeople(ctx(c), sf); err != nil {
		return err
	}
	if next != nil {
		q := url.Values{"after_name": {next.Name}, "after_id": {strconv.FormatInt(next.ID, 10)}}
		if f.Q != "" {
			q.Set("q", f.Q)
		}
		if f.Role != "" {
			q.Set("role", f.Role)
		}
		if f.Team != 0 {
			q.Set("team", strconv.FormatInt(f.Team, 10))
		}
		p.Next = "/admin/people?" + q.Encode()
	}
	if p.Teams, err = s.Store.Teams(ctx(c)); err != nil {
		return err
	}
	if p.Uninvited, err = s.Store.CountUninvited(ctx(c)); err != nil {
		return err
	}
	p.Filter, p.MailOn = f, s.People.MailOn
	return s.render(c, "people", "People", p)
}

// personCreate adds someone and invites them: by mail when mail is
// configured, otherwise with a link and QR code to hand over.
func (s *Server) personCreate(c *fiber.Ctx) error {
	p := people.Person{Name: clone(c.FormValue("name")), Email: strings.TrimSpace(clone(c.FormValue("email"))),
		Username: strings.TrimSpace(clone(c.FormValue("username"))), Role: auth.Role(clone(c.FormValue("role")))}
	by := userOf(c).ID
	u, link, err := s.People.Add(ctx(c), &by, p)
	var fe people.FormError
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderPeople(c, peoplePage{Form: p, Errors: fe})
	} else if err != nil {
		return err
	}
	return s.invited(c, u, link)
}

func (s *Server) personInvite(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	by := userOf(c).ID
	u, link, err := s.People.Reinvite(ctx(c), &by, int64(id))
	if err != nil {
		return err
	}
	return s.invited(c, u, link)
}

func (s *Server) invited(c *fiber.Ctx, u *store.User, link string) error {
	page := peoplePage{Form: people.Person{Role: auth.Learner}}
	if link == "" {
		page.Mailed = u
	} else {
		h, err := newHandover(*u, link, store.PurposeInvite)
		if err != nil {
			return err
		}
		page.Handover = h
	}
	if s.WakeJobs != nil && link == "" {
		s.WakeJobs()
	}
	return s.renderPeople(c, page)
}

// personRole changes someone's role.
func (s *Server) personRole(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	_, err = s.People.SetRole(ctx(c), actor(c), int64(id), auth.Role(clone(c.FormValue("role"))))
	var fe people.FormError
	if errors.As(err, &fe) {
		return badRequest{"Choose one of the roles."}
	} else if err != nil {
		return err
	}
	return c.Redirect(backTo(c, "/admin/people"), fiber.StatusSeeOther)
}

// backTo is the form's "next" when it stays on this site, else fallback.
func backTo(c *fiber.Ctx, fallback string) string {
	if back := safeNext(c.FormValue("next")); back != "/" {
		return back
	}
	return fallback
}

type invitationsPage struct {
	MailOn   bool
	Mailed   []store.User
	Handover []*handover
	More     int // people still never invited after this batch
}

// peopleInviteNew invites everyone added and never invited (after a staff
// import, say): mailed, or listed with links and QR codes to hand over.
func (s *Server) peopleInviteNew(c *fiber.Ctx) error {
	done, err := s.People.InviteNew(ctx(c), actor(c))
	if err != nil {
		return err
	}
	p := invitationsPage{MailOn: s.People.MailOn}
	for _, d := range done {
		if d.Link == "" {
			p.Mailed = append(p.Mailed, d.User)
			continue
		}
		h, err := newHandover(d.User, d.Link, store.PurposeInvite)
		if err != nil {
			return err
		}
		p.Handover = append(p.Handover, h)
	}
	if len(p.Mailed) > 0 && s.WakeJobs != nil {
		s.WakeJobs()
	}
	if p.More, err = s.Store.CountUninvited(ctx(c)); err != nil {
		return err
	}
	return s.render(c, "invitations", "Invitations", p)
}

type signInLinkPage struct {
	*handover
	Back string
}

// signInLinkIssue makes a one-time sign-in link for a person and shows it
// with its QR code; admins for anyone, managers for their teams' people.
func (s *Server) signInLinkIssue(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	l, err := s.People.IssueSignInLink(ctx(c), userOf(c), clientIP(c), int64(id))
	if err != nil {
		return err
	}
	h, err := newHandover(*l.For, l.Link, store.PurposeSignIn)
	if err != nil {
		return err
	}
	return s.render(c, "signin_link", "Sign-in link for "+l.For.Name, signInLinkPage{handover: h, Back: backTo(c, "/manage/people/"+strconv.Itoa(id))})
}
