package staff

import (
	"strings"
	"testing"
)

func TestParseReportsEachBadLineWithItsNumber(t *testing.T) {
	file := "\ufeffName,EMAIL,team,role,manager\n" + // 1: a BOM and any case in the header
		"Amara Okafor,amara@example.com,Acme/North/Leeds,learner,\n" + // 2: good
		"\"Nguyễn, Thị\",NGUYEN@example.com, Acme / South ,trainer,no\n" + // 3: good: comma in quotes, spaces trimmed
		",nobody@example.com,Acme,learner,\n" + // 4: no name
		"Kenji,not-an-email,Acme,learner,\n" + // 5: bad email
		"Olek,olek@example.com,,learner,\n" + // 6: no team
		"Lucía,lucia@example.com,Acme,boss,\n" + // 7: bad role
		"Priya,priya@example.com,Acme,learner,perhaps\n" + // 8: bad manager flag
		"Amara again,AMARA@example.com,Acme,learner,\n" + // 9: duplicate email
		"\n" + // 10: blank
		"Tab\tName,tab@example.com,Acme,learner,\n" + // 11: control character
		"=SUM(1+1),formula@example.com,Acme,learner,yes\n" + // 12: kept (exports defuse it), manager
		"Bad \"quote,quote@example.com,Acme,learner,\n" // 13: not valid CSV
	rows, problems := Parse(strings.NewReader(file))
	wantLines := map[int]string{4: "name is empty", 5: "not an email", 6: "team is empty", 7: "not a role",
		8: "manager must be yes or no", 9: "also on line 2", 11: "control character", 13: "not valid CSV"}
	got := map[int]string{}
	for _, p := range problems {
		got[p.Line] = p.Reason
	}
	for line, want := range wantLines {
		if !strings.Contains(got[line], want) {
			t.Errorf("line %d: problem %q, want one containing %q", line, got[line], want)
		}
	}
	if len(problems) != len(wantLines) {
		t.Errorf("problems = %v", problems)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	if r := rows[1]; r.Name != "Nguyễn, Thị" || r.Email != "nguyen@example.com" || r.TeamPath() != "Acme / South" || r.Role != "trainer" {
		t.Errorf("row 3 = %+v", r)
	}
	if r := rows[2]; !r.Manager || r.Role != "manager" || r.Line != 12 {
		t.Errorf("row 12 = %+v", r)
	}
}

func TestParseRefusesAFileWithoutTheColumns(t *testing.T) {
	for name, file := range map[string]string{
		"empty":          "",
		"missing column": "name,email,team\nA,a@example.com,T\n",
	} {
		rows, problems := Parse(strings.NewReader(file))
		if len(rows) != 0 || len(problems) != 1 || problems[0].Line != 1 {
			t.Errorf("%s: rows %v problems %v", name, rows, problems)
		}
	}
}

// TestParseRefusesFilesThatAreNotTextOrNameAColumnTwice: such a file is
// refused as a whole, at the line that shows it, with nothing to import.
func TestParseRefusesFilesThatAreNotTextOrNameAColumnTwice(t *testing.T) {
	good := "Amara,amara@example.com,Acme,learner\n"
	for _, tc := range []struct {
		name, file string
		line       int
		want       string
	}{
		{"Latin-1 in a name", "name,email,team,role\n" + good + "Luc\xeda,lucia@example.com,Acme,learner\n", 3, "not UTF-8 text"},
		{"NUL in an ignored column", "name,email,team,role,notes\n" + "Amara,amara@example.com,Acme,learner,a\x00b\n", 2, "not UTF-8 text"},
		{"UTF-16 header", "\xff\xfen\x00a\x00m\x00e\x00\n", 1, "not UTF-8 text"},
		{"a column named twice", "name,email,team,role,Email\n" + good, 1, `names the column "email" twice`},
		{"manager named twice", "name,email,team,role,manager, Manager \n" + good, 1, `names the column "manager" twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, problems := Parse(strings.NewReader(tc.file))
			if len(rows) != 0 || len(problems) != 1 || problems[0].Line != tc.line || !strings.Contains(problems[0].Reason, tc.want) {
				t.Fatalf("rows %v problems %v; want one problem on line %d with %q", rows, problems, tc.line, tc.want)
			}
		})
	}
	// Columns with no name (a trailing comma) are not "named twice".
	if rows, problems := Parse(strings.NewReader("name,email,team,role,,\n" + good)); len(rows) != 1 || len(problems) != 0 {
		t.Fatalf("blank column names: rows %v problems %v", rows, problems)
	}
}

func TestParseReadsTheActiveColumn(t *testing.T) {
	file := "name,email,team,role,active\n" +
		"A,a@example.com,Acme,learner,\n" +
		"B,b@example.com,Acme,learner,no\n" +
		"C,c@example.com,Acme,learner,Yes\n" +
		"D,d@example.com,Acme,learner,gone\n"
	rows, problems := Parse(strings.NewReader(file))
	if len(rows) != 3 || len(problems) != 1 || problems[0].Line != 5 || !strings.Contains(problems[0].Reason, "active must be yes or no") {
		t.Fatalf("rows %+v problems %v", rows, problems)
	}
	if rows[0].Active != nil || rows[1].Active == nil || *rows[1].Active || rows[2].Active == nil || !*rows[2].Active {
		t.Fatalf("active = %v %v %v", rows[0].Active, rows[1].Active, rows[2].Active)
	}
}

// FuzzParse: any bytes give rows and problems without a panic or a hang,
// every problem names a line inside the file, and every row is valid.
func FuzzParse(f *testing.F) {
	f.Add("name,email,team,role,manager\nAmara,amara@example.com,Acme/North,learner,yes\n")
	f.Add("name,email,team,role\n\"unterminated,a@b.c,T,learner\n")
	f.Add("email,name,role,team\nx@y.z,\"A \"\"B\"\"\",admin,/ / X /\n")
	f.Add("\ufeffname,email,team,role\r\nA,a@example.com,T,LEARNER\r\n")
	f.Fuzz(func(t *testing.T, file string) {
		rows, problems := Parse(strings.NewReader(file))
		lines := strings.Count(file, "\n") + 1
		for _, p := range problems {
			if p.Line < 0 || p.Line > lines || p.Reason == "" {
				t.Fatalf("problem %+v outside a %d-line file", p, lines)
			}
		}
		for _, r := range rows {
			if r.Name == "" || len(r.Team) == 0 || !r.Role.Valid() || !strings.Contains(r.Email, "@") {
				t.Fatalf("invalid row accepted: %+v", r)
			}
			if hasControl(r.Name) {
				t.Fatalf("row with a control character accepted: %+v", r)
			}
			if !isText(r.Name) || !isText(r.Email) || !isText(r.TeamPath()) {
				t.Fatalf("row that is not UTF-8 text accepted: %+v", r)
			}
		}
	})
}

// TestParseReadsUsernames: a line needs an email or a username (or both);
// usernames are checked and, like emails, may appear once in a file.
func TestParseReadsUsernames(t *testing.T) {
	file := "name,email,username,team,role\n" +
		"Amara,amara@example.com,,Acme,learner\n" + // 2: email only
		"Bo,,Bo.Till-1,Acme,learner\n" + // 3: username only, lower-cased
		"Cy,cy@example.com,cy_w,Acme,learner\n" + // 4: both
		"Di,,,Acme,learner\n" + // 5: neither
		"Ed,,ed@home,Acme,learner\n" + // 6: a username with @
		"Fa,,f,Acme,learner\n" + // 7: too short
		"Gil,,BO.TILL-1,Acme,learner\n" + // 8: the username of line 3
		"Hu,,h u,Acme,learner\n" // 9: a space
	rows, problems := Parse(strings.NewReader(file))
	want := map[int]string{5: "neither an email nor a username", 6: "not a username", 7: "not a username",
		8: "the username bo.till-1 is also on line 3", 9: "not a username"}
	got := map[int]string{}
	for _, p := range problems {
		got[p.Line] = p.Reason
	}
	for line, w := range want {
		if !strings.Contains(got[line], w) {
			t.Errorf("line %d: problem %q, want one containing %q", line, got[line], w)
		}
	}
	if len(problems) != len(want) || len(rows) != 3 {
		t.Fatalf("rows %+v, problems %v", rows, problems)
	}
	if r := rows[1]; r.Email != "" || r.Username != "bo.till-1" || r.Identifier() != "bo.till-1" {
		t.Errorf("line 3 = %+v", r)
	}
	if r := rows[2]; r.Email != "cy@example.com" || r.Username != "cy_w" || r.Identifier() != "cy@example.com" {
		t.Errorf("line 4 = %+v", r)
	}
	// A file may name people by username alone: the email column is then
	// optional.
	if rows, problems := Parse(strings.NewReader("name,username,team,role\nBo,bo,Acme,learner\n")); len(problems) != 0 || len(rows) != 1 {
		t.Errorf("username-only file: rows %v problems %v", rows, problems)
	}
}
