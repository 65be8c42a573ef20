package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
)

var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

const courseMD = `---
title: Phone basics
summary: Answering the phone well.
refresher: 12 months
window: 30 days
pass: 75
---
Intro.
`

func module(lesson string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(`---
title: Answering
---
` + lesson + `

## Quiz

### The phone rings during a busy moment. What do you do? {#busy-ring}

- [x] Answer within three rings
- [ ] Let it ring out

> Callers judge the whole business by the wait.
`)}
}

func TestImportPublishesOnlyChangedCoursesAndKeepsTheLastGoodVersion(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		cat := catalog.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), &learning.Service{Store: st, Location: time.UTC})
		tree := fstest.MapFS{"phone-basics/course.md": {Data: []byte(courseMD)}, "phone-basics/01-answering.md": module("Answer promptly.")}

		rep, err := cat.Import(ctx, tree, now)
		if err != nil || len(rep.Published) != 1 {
			t.Fatalf("first import: %+v, %v", rep, err)
		}
		rep, err = cat.Import(ctx, tree, now)
		if err != nil || len(rep.Published) != 0 || len(rep.Unchanged) != 1 {
			t.Fatalf("unchanged import published again: %+v, %v", rep, err)
		}

		tree["phone-basics/01-answering.md"] = module("Answer within three rings.")
		if rep, err = cat.Import(ctx, tree, now); err != nil || len(rep.Published) != 1 {
			t.Fatalf("changed import: %+v, %v", rep, err)
		}
		row, c, err := cat.Current(ctx, "phone-basics")
		if err != nil || !contains(string(c.Modules[0].LessonHTML), "three rings") {
			t.Fatalf("current = %+v, %v", c, err)
		}
		v, _ := st.Version(ctx, row.CurrentVersionID)
		if v.Number != 2 || v.Origin != store.OriginFile {
			t.Fatalf("version = %+v", v)
		}

		// A broken file: reported with file:line, and version 2 keeps serving.
		tree["phone-basics/01-answering.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Answering\n---\nText.\n\n## Quiz\n\n### No choices here {#q}\n")}
		rep, err = cat.Import(ctx, tree, now)
		if err != nil || len(rep.Broken["phone-basics"]) == 0 {
			t.Fatalf("broken import: %+v, %v", rep, err)
		}
		if p := rep.Broken["phone-basics"][0].String(); p[:len("phone-basics/01-answering.md:8:")] != "phone-basics/01-answering.md:8:" {
			t.Fatalf("problem = %q", p)
		}
		row2, c2, err := cat.Current(ctx, "phone-basics")
		if err != nil || row2.CurrentVersionID != row.CurrentVersionID || !contains(string(c2.Modules[0].LessonHTML), "three rings") {
			t.Fatalf("after a broken import: version %d, %v", row2.CurrentVersionID, err)
		}
	})
}

func TestVersionsAreParsedOncePerInstance(t *testing.T) {
	db := apptest.NewSQLite(t)
	ctx, st := context.Background(), store.New(db)
	cat := catalog.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), &learning.Service{Store: st, Location: time.UTC})
	tree := fstest.MapFS{"phone-basics/course.md": {Data: []byte(courseMD)}, "phone-basics/01-answering.md": module("Answer promptly.")}
	if _, err := cat.Import(ctx, tree, now); err != nil {
		t.Fatal(err)
	}
	_, a, _ := cat.Current(ctx, "phone-basics")
	_, b, _ := cat.Current(ctx, "phone-basics")
	if a != b {
		t.Fatal("a second page view parsed the course again")
	}
	// Another instance (a new catalog on the same database) serves the same version.
	other := catalog.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), &learning.Service{Store: st, Location: time.UTC})
	_, c, err := other.Current(ctx, "phone-basics")
	if err != nil || c.Hash != a.Hash {
		t.Fatalf("other instance: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestInstancesStartingTogetherImportOnce starts several "instances" (each a
// catalog of its own on one database) importing the same files at once:
// exactly one version is published and none of them fails.
func TestInstancesStartingTogetherImportOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		tree := fstest.MapFS{"phone-basics/course.md": {Data: []byte(courseMD)}, "phone-basics/01-answering.md": module("Answer promptly.")}
		const n = 4
		errs := make(chan error, n)
		for range n {
			go func() {
				cat := catalog.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), &learning.Service{Store: st, Location: time.UTC})
				_, err := cat.Import(ctx, tree, now)
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("an instance failed to start: %v", err)
			}
		}
		v, err := st.LatestVersion(ctx, "phone-basics", "")
		if err != nil || v.Number != 1 {
			t.Fatalf("latest version = %+v, %v; want exactly one version", v, err)
		}
	})
}
