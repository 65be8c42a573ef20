package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FRONTLINE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "live.db")}
	if code, _, stderr := runCLI(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	backup := filepath.Join(dir, "copy.db")
	if code, out, stderr := runCLI(t, env, "backup", backup); code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, env, "restore", "--check", backup); code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("restore --check: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCLI(t, env, "restore", backup); code != 0 || !strings.Contains(out, "kept as "+filepath.Join(dir, "live.db.before-restore-")) {
		t.Fatalf("restore: exit %d, %s %s", code, out, stderr)
	}
	pg := map[string]string{"FRONTLINE_DATABASE_URL": "postgres://frontline@127.0.0.1/frontline"}
	if code, _, stderr := runCLI(t, pg, "backup", filepath.Join(dir, "pg.db")); code != 1 || !strings.Contains(stderr, "pg_dump") {
		t.Errorf("backup of PostgreSQL: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, env, "backup"); code != 1 || !strings.Contains(stderr, "usage: frontline backup FILE") {
		t.Errorf("backup without a file: exit %d, %s", code, stderr)
	}
}

func TestHealthProbesTheServer(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" && r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	if code, _, stderr := runCLI(t, nil, "health", "--url", srv.URL); code != 0 {
		t.Errorf("healthy server: exit %d, %s", code, stderr)
	}
	// Without --url it asks loopback on the port the server listens on.
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	if code, out, stderr := runCLI(t, map[string]string{"FRONTLINE_ADDR": ":" + port}, "health"); code != 0 || !strings.Contains(out, "http://127.0.0.1:"+port+"/healthz") {
		t.Errorf("probe from FRONTLINE_ADDR: exit %d, %s %s", code, out, stderr)
	}
	status = http.StatusServiceUnavailable
	if code, _, stderr := runCLI(t, nil, "health", "--ready", "--url", srv.URL); code != 1 || !strings.Contains(stderr, "/readyz answered 503") {
		t.Errorf("unready server: exit %d, %s", code, stderr)
	}
	srv.Close()
	if code, _, _ := runCLI(t, nil, "health", "--url", srv.URL); code != 1 {
		t.Errorf("no server: exit %d", code)
	}
}
