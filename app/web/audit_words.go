package web

import "strings"

// auditWords says in words what an audit action code records, for pages a
// person reads; the codes stay in the CSV and the filter, where programs
// and searches use them. An action without words shows its code.
var auditWords = map[string]string{
	"assignment.create":    "Assigned a course",
	"assignment.remove":    "Removed an assignment",
	"course.create":        "Started a new course",
	"course.delete":        "Deleted the course",
	"course.import":        "Imported",
	"course.publish":       "Published",
	"course.restore":       "Restored",
	"draft.delete":         "Discarded the draft",
	"draft.module.delete":  "Deleted a module",
	"mail.retry":           "Sent a message again",
	"report.export":        "Downloaded a report",
	"signin.failure":       "Sign-in refused",
	"signin.success":       "Signed in",
	"signin.throttled":     "Sign-in slowed down after failures",
	"settings.calendar":    "Changed the calendar feed",
	"settings.mail":        "Changed mail settings",
	"settings.unsubscribe": "Unsubscribed from mail",
	"staff.import.add":     "Added by a staff import",
	"staff.import.change":  "Changed by a staff import",
	"staff.import.start":   "Applied a staff import",
	"team.create":          "Created a team",
	"team.manager":         "Changed a team's managers",
	"team.member":          "Changed a team's members",
	"team.move":            "Moved a team",
	"team.rename":          "Renamed a team",
	"user.deactivate":      "Deactivated a person",
	"user.reactivate":      "Reactivated a person",
	"user.add":             "Added a person",
	"user.invite":          "Made an invitation link",
	"user.role":            "Changed a role",
	"user.setup":           "Set up their account",
}

// actionWords is auditWords[action], the code itself when it has none (a
// sign-in family, say, whose codes are words already).
func actionWords(action string) string {
	if w, ok := auditWords[action]; ok {
		return w
	}
	return strings.ReplaceAll(action, ".", " ")
}
