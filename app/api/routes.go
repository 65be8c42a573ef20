package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// Mount is the route table of programs. Every route states the scope its
// token needs; the document and its reference page are public. Unknown
// paths under /api and /scim answer here, in the API's own error form,
// never with the web's sign-in page.
func (a *API) Mount(r fiber.Router) {
	v1 := r.Group("/api/v1", a.problems)
	v1.Get("/openapi.json", a.openapi)
	v1.Get("/reference", a.reference)

	p := func(s auth.Scope) fiber.Handler { return a.need(s, a.respond) }
	peopleRead, peopleWrite := p(auth.PeopleRead), p(auth.PeopleWrite)
	v1.Get("/people", peopleRead, a.peopleList)
	v1.Post("/people", peopleWrite, a.personCreate)
	v1.Get("/people/:id", peopleRead, a.personGet)
	v1.Patch("/people/:id", peopleWrite, a.personUpdate)
	v1.Post("/people/:id/deactivate", peopleWrite, a.personDeactivate)
	v1.Get("/teams", peopleRead, a.teamTree)
	v1.Post("/teams", peopleWrite, a.teamCreate)
	v1.Get("/teams/:id", peopleRead, a.teamGet)
	v1.Post("/teams/:id/move", peopleWrite, a.teamMove)
	v1.Get("/teams/:id/assignments", peopleRead, a.teamAssignments)
	v1.Post("/assignments", peopleWrite, a.assignmentCreate)
	v1.Get("/assignments/:id", peopleRead, a.assignmentGet)
	v1.Delete("/assignments/:id", peopleWrite, a.assignmentRemove)

	reportsRead := p(auth.ReportsRead)
	v1.Get("/people/:id/enrolments", reportsRead, a.personEnrolments)
	v1.Get("/people/:id/completions", reportsRead, a.personCompletions)
	v1.Get("/teams/:id/enrolments", reportsRead, a.teamEnrolments)
	v1.Get("/courses/:id/enrolments", reportsRead, a.courseEnrolments)

	coursesRead := p(auth.CoursesRead)
	v1.Get("/courses", coursesRead, a.courseList)
	v1.Get("/courses/:id", coursesRead, a.courseGet)
	v1.Get("/courses/:id/versions/:number/source", coursesRead, a.versionSource)
	v1.Get("/certificates/:code", coursesRead, a.certificateVerify)
	r.Use("/api", a.problems, func(*fiber.Ctx) error { return fiber.ErrNotFound })

	a.mountSCIM(r)
}
