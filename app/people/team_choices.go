package people

import (
	"context"
	"strconv"
	"strings"

	"github.com/frontline-lms/frontline/app/store"
)

// TeamChoice is a team offered in a picker, named by its full path
// ("Harbour › North › Desk") so two teams of the same name can be told apart.
type TeamChoice struct {
	ID    int64
	Label string
}

// ParentChoices lists the teams another team may move under: every team but
// itself and those below it, which would make a cycle. They come in path
// order, so a parent is followed by its subteams.
func (s *Service) ParentChoices(ctx context.Context, teamID int64) ([]TeamChoice, error) {
	t, err := s.Store.Team(ctx, teamID)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(all))
	for _, o := range all {
		names[o.ID] = o.Name
	}
	out := make([]TeamChoice, 0, len(all))
	for _, o := range all {
		if strings.HasPrefix(o.Path, t.Path) {
			continue
		}
		out = append(out, TeamChoice{ID: o.ID, Label: pathLabel(o.Path, names)})
	}
	return out, nil
}

// pathLabel names every team on a path, root first.
func pathLabel(path string, names map[int64]string) string {
	var parts []string
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			continue
		}
		parts = append(parts, names[id])
	}
	return strings.Join(parts, " › ")
}

// FoundPeopleShown bounds the matches of a person search on a team page;
// a longer list means the search needs more of the name.
const FoundPeopleShown = 20

// FindPeople returns the people whose name or email contains query, in name
// order, at most FoundPeopleShown, and whether there were more. An empty
// query finds nobody rather than everybody.
func (s *Service) FindPeople(ctx context.Context, query string) ([]store.User, bool, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, false, nil
	}
	us, next, err := s.Store.SearchPeople(ctx, store.PeopleFilter{Query: query, Limit: FoundPeopleShown})
	return us, next != nil, err
}
