package steps

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/secret"
)

func TestAValueLongerThanAnyIsReportedWithoutBeingQuoted(t *testing.T) {
	long := strings.Repeat("x", MaxValueLength+1)
	s := Defaults("default")
	s.MyDomain, s.TokenEndpoint, s.ClientID, s.Username = long, long, long, long+"@acme.com"
	s.ClientSecret, s.Password, s.SecurityToken, s.DRAPIKey = secret.Value(long), secret.Value(long), secret.Value(long), secret.Value("sk_test_"+long)
	s.Token = TokenCustom
	for _, f := range []field.Field{field.MyDomain, field.TokenEndpoint, field.ClientID, field.ClientSecret,
		field.Username, field.Password, field.SecurityToken, field.DRAPIKey} {
		ps := CheckField(s, f)
		if len(ps) != 1 || !ps[0].Blocking || !strings.Contains(ps[0].Message, f.Noun()) || !strings.Contains(ps[0].Message, "characters long") {
			t.Errorf("%s: %+v", f, ps)
			continue
		}
		if strings.Contains(ps[0].String(), "xxxxxxxx") {
			t.Errorf("%s: the problem quotes the value", f)
		}
	}
	s.SetValue(field.Events, "order.accepted,"+long)
	if ps := CheckField(s, field.Events); len(ps) != 1 || !strings.Contains(ps[0].String(), "event types entered are") || !strings.Contains(ps[0].String(), "the event types themselves") {
		t.Errorf("a list is told as one: %+v", ps)
	}
	// At the bound the field's own checks run.
	s.MyDomain = "https://acme.lightning.force.com/" + strings.Repeat("x", MaxValueLength-len("https://acme.lightning.force.com/"))
	if ps := CheckField(s, field.MyDomain); len(ps) != 1 || ps[0].Suggestion != "https://acme.my.salesforce.com" {
		t.Fatalf("a %d-byte Lightning address: %+v", len(s.MyDomain), ps)
	}
}
