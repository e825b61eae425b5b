package text

import "testing"

func TestSentenceCapitalisesAndEndsWithAFullStop(t *testing.T) {
	cases := map[string]string{
		"":                               "",
		"  the key works  ":              "The key works.",
		"done!":                          "Done!",
		"acme.my.salesforce.com is down": "acme.my.salesforce.com is down.",
		"https://x is not a host":        "https://x is not a host.",
		"sk_test_ keys are test keys":    "sk_test_ keys are test keys.",
		"it ends (like this)":            "It ends (like this)",
		"élan":                           "Élan.",
	}
	for in, want := range cases {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListsAndPlurals(t *testing.T) {
	if got := JoinAnd([]string{"a", "b", "c"}); got != "a, b and c" {
		t.Errorf("JoinAnd = %q", got)
	}
	if JoinAnd(nil) != "" || JoinAnd([]string{"x"}) != "x" || JoinAnd([]string{"x", "y"}) != "x and y" {
		t.Error("JoinAnd of short lists")
	}
	if Count(1, "webhook") != "1 webhook" || Count(0, "webhook") != "0 webhooks" || Count(3, "org") != "3 orgs" {
		t.Error("Count")
	}
	if IsAre(1) != "is" || IsAre(2) != "are" || VerbS(1) != "s" || VerbS(2) != "" {
		t.Error("IsAre/VerbS")
	}
	if Times(1) != "once" || Times(2) != "twice" || Times(5) != "5 times" {
		t.Error("Times")
	}
	if Or("", "none") != "none" || Or("x", "none") != "x" || FullStop("a)") != "a)." || FullStop("") != "" {
		t.Error("Or/FullStop")
	}
}
