// Package content embeds the courses that ship with Frontline. It holds no
// logic: the server and `frontline check` parse FS with package courses.
package content

import "embed"

// FS holds every course folder: <slug>/course.md and its module files.
//
//go:embed */*.md
var FS embed.FS
