package sfcheck

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestParseMyDomainReadsOnlyTheHostOfALongAddress(t *testing.T) {
	long := "https://acme.lightning.force.com/lightning/setup/" + strings.Repeat("SetupOneHome/home/", 100) + "?retURL=%2Fx"
	_, err := ParseMyDomain(long)
	var de *DomainError
	if !errors.As(err, &de) || de.Kind != DomainLightning || de.Corrected != "https://acme.my.salesforce.com" {
		t.Fatalf("ParseMyDomain(a %d-byte Lightning address) = %v", len(long), err)
	}
	if len(de.Input) > 300 || !strings.HasPrefix(de.Input, "https://acme.lightning.force.com") {
		t.Errorf("Input quotes %d bytes: %.80q…", len(de.Input), de.Input)
	}
	d, err := ParseMyDomain("https://acme.my.salesforce.com/" + strings.Repeat("a/", 900))
	if err != nil || d.Host != "acme.my.salesforce.com" || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "path, query") {
		t.Fatalf("got %+v, %v; want the host with the dropped path noted", d, err)
	}
}

func TestParseMyDomainRefusesAnAddressLongerThanAnyWithoutParsingIt(t *testing.T) {
	in := "https://" + strings.Repeat("é", MaxAddressLength) + ".my.salesforce.com"
	_, err := ParseMyDomain(in)
	var de *DomainError
	if !errors.As(err, &de) || de.Kind != DomainTooLong || de.Length != MaxAddressLength+len("https://.my.salesforce.com") {
		t.Fatalf("ParseMyDomain(%d bytes) = %v (%+v)", len(in), err, de)
	}
	if msg := err.Error(); strings.Contains(msg, "éé") || !strings.Contains(msg, "characters long") || !strings.Contains(msg, "Setup → My Domain") {
		t.Errorf("message: %s", msg)
	}
}

// Cutting a plain address before its path must give what cleaning and
// parsing it whole gives. A leading space takes the whole-input path, so
// the two are compared over many generated addresses.
func TestCutPathAgreesWithParsingWhole(t *testing.T) {
	schemes := []string{"", "https://", "HTTP://", "//", "ftp://", "https:/"}
	hosts := []string{"acme.my.salesforce.com", "acme.lightning.force.com", "acme--uat.sandbox.my.salesforce.com", "user:pw@acme.my.salesforce.com",
		"acme.my.salesforce.com:8443", "acme.my.salesforce.com.", "login.salesforce.com", "example.com", "", "acme.my.salesforce.com.mcas.ms", "ac me.my.salesforce.com"}
	tails := []string{"", "/", "//", "/lightning/setup/home", "?a=b", "#frag", "/?#", "/%zz", "/a b", "/\u200b", "\"", ">", " ", "/path'"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		in := schemes[rng.IntN(len(schemes))] + hosts[rng.IntN(len(hosts))]
		for range rng.IntN(3) {
			in += tails[rng.IntN(len(tails))]
		}
		if rng.IntN(4) == 0 {
			in = "<" + in + ">"
		}
		fast, ferr := ParseMyDomain(in)
		whole, werr := ParseMyDomain(" " + in)
		var fd, wd *DomainError
		errors.As(ferr, &fd)
		errors.As(werr, &wd)
		if fd != nil && wd != nil {
			fd.Input, wd.Input = "", ""
		}
		if !reflect.DeepEqual(fast, whole) || !reflect.DeepEqual(fd, wd) || (ferr == nil) != (werr == nil) {
			t.Fatalf("%q: cut gives %+v, %v; whole gives %+v, %v", in, fast, ferr, whole, werr)
		}
	}
}
