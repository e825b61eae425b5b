package sfcheck

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		id, prefix string
		ok         bool
	}{
		{"005x0000001Sv1m", "005", true},
		{"005x0000001Sv1mAAC", "005", true},
		{"005x0000001Sv1mAAA", "005", false}, // wrong checksum
		{"005x0000001Sv1maac", "005", false}, // the checksum is case-safe upper case
		{"00Dx0000001T0zk", "005", false},
		{"00Dx0000001T0zk", "00D", true},
		{"005x0000001Sv1", "005", false},
		{"005x0000001Sv1m1", "005", false},
		{" 005x0000001Sv1m", "005", false},
		{"005x0000001Sv1'", "005", false},
		{"005x000000'OR'1", "005", false},
		{"", "005", false},
		{"005x0000001Sv1m", "05", false},
		{"005x0000001Sv1m", "0'5", false},
	} {
		id, err := ParseID(c.id, c.prefix)
		if (err == nil) != c.ok {
			t.Errorf("ParseID(%q, %q) = %v, %v", c.id, c.prefix, id, err)
		}
		var ie *IDError
		if err != nil && (!errors.As(err, &ie) || strings.Contains(err.Error(), c.id) && c.id != "") {
			t.Errorf("ParseID(%q): %v", c.id, err)
		}
		if err == nil && id.String() != c.id {
			t.Errorf("ParseID(%q) = %q", c.id, id)
		}
	}
}

// quoted finds every single-quoted literal of a query.
var quoted = regexp.MustCompile(`'[^']*'`)

var idShape = regexp.MustCompile(`^'[A-Za-z0-9]{15}([A-Za-z0-9]{3})?'$`)

var timeShape = regexp.MustCompile(`>= \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z( |$)`)

// FuzzQueryTemplates builds every template from arbitrary input. Whatever
// goes in, a query either is not built or is its template with an ID of
// letters and digits, a time in SOQL's literal form and a small limit: no
// input can add a quote, a clause or a field.
func FuzzQueryTemplates(f *testing.F) {
	f.Add("005x0000001Sv1m", int64(1764000000), 200)
	f.Add("005x0000001Sv1mAAC", int64(0), 1)
	f.Add("005' OR Name != '", int64(-62135596800), 0)
	f.Add("005x0000001Sv1m\x00", int64(1<<40), 5000)
	f.Fuzz(func(t *testing.T, rawID string, unix int64, limit int) {
		at := time.Unix(unix, 0)
		id, idErr := ParseID(rawID, "005")
		if idErr == nil && !idShape.MatchString("'"+id.String()+"'") {
			t.Fatalf("ParseID accepted %q", rawID)
		}
		check := func(q soql, err error, template string, quotes int) {
			t.Helper()
			if err != nil {
				return
			}
			lits := quoted.FindAllString(q.text, -1)
			if len(lits) != quotes || strings.Count(q.text, "'") != 2*quotes {
				t.Fatalf("query %q has literals %q", q.text, lits)
			}
			for _, l := range lits {
				if !idShape.MatchString(l) || l != "'"+id.String()+"'" {
					t.Fatalf("query %q quotes %s", q.text, l)
				}
			}
			prefix, _, _ := strings.Cut(template, "%")
			if !strings.HasPrefix(q.text, prefix) {
				t.Fatalf("query %q is not its template %q", q.text, template)
			}
			if strings.Contains(template, ">= %s") && !timeShape.MatchString(q.text) {
				t.Fatalf("query %q writes its time otherwise", q.text)
			}
			if strings.Contains(q.text, "Event_Payload") {
				t.Fatalf("query %q reads the payload", q.text)
			}
		}
		q, err := loginHistoryQuery(id, at, limit)
		check(q, err, loginHistoryTemplate, 1)
		if err == nil && (idErr != nil || limit < 1 || limit > maxQueryLimit) {
			t.Fatalf("loginHistoryQuery built %q from %q, limit %d", q.text, rawID, limit)
		}
		q, err = assignmentsQuery(id)
		check(q, err, assignmentsTemplate, 1)
		q, err = userQuery(id)
		check(q, err, userTemplate, 1)
		q, err = failedEventsQuery(at, limit)
		check(q, err, failedEventsTemplate, 0)
		q, err = failedEventCountQuery(at)
		check(q, err, failedEventCountTemplate, 0)
		if err == nil && (at.UTC().Year() < 1970 || at.UTC().Year() > 4000) {
			t.Fatalf("a time in %d was written into a query", at.UTC().Year())
		}
	})
}

func TestQueryTemplatesRefuseBadValues(t *testing.T) {
	id, err := ParseID("005x0000001Sv1m", "005")
	if err != nil {
		t.Fatal(err)
	}
	org, _ := ParseID("00Dx0000001T0zk", "00D")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	if q, err := loginHistoryQuery(id, now, 200); err != nil || !strings.Contains(q.text, ">= 2026-11-30T23:00:00Z") {
		t.Errorf("time not written in UTC: %q %v", q.text, err)
	}
	for name, err := range map[string]error{
		"zero id":    second(loginHistoryQuery(ID{}, now, 10)),
		"org id":     second(userQuery(org)),
		"zero time":  second(loginHistoryQuery(id, time.Time{}, 10)),
		"year 1":     second(failedEventCountQuery(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))),
		"limit 0":    second(failedEventsQuery(now, 0)),
		"limit 2001": second(loginHistoryQuery(id, now, 2001)),
	} {
		if err == nil {
			t.Errorf("%s: a query was built", name)
		}
	}
}

// second is the error of a call that returns a value and an error.
func second[T any](_ T, err error) error { return err }
