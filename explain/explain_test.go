package explain

import (
	"strings"
	"testing"

	"github.com/drsetup/drsetup/drapi"
	"github.com/drsetup/drsetup/emulator"
	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/text"
)

func TestExplainCapitalisesAndSeparatesParts(t *testing.T) {
	_, err := drapi.ClassifyKey(emulator.Demo.DRPublicKey)
	f := Of(err)
	if f.Field != field.DRAPIKey || !strings.HasPrefix(f.Meaning, "This is a Digital River public key") {
		t.Fatalf("failure %+v", f)
	}
	if text.Sentence("x") != "X." || text.Sentence("") != "" || text.Sentence("done.") != "Done." || text.Sentence("acme.lightning.force.com is wrong") != "acme.lightning.force.com is wrong." {
		t.Fatal("Sentence")
	}
}

func TestExplainKeepsDigitalRiversRequestID(t *testing.T) {
	f := Of(&drapi.Error{Status: 401, Kind: drapi.KindUnauthorized, RequestID: "req-42"})
	if f.RequestID != "req-42" || !strings.Contains(f.Text(), "Digital River request id req-42") || f.Field != field.DRAPIKey {
		t.Fatalf("failure %+v", f)
	}
}
