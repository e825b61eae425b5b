package drapi

import "testing"

func TestDiffRestoresAMissingTrailingSlash(t *testing.T) {
	want := "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	cur := Webhook{Address: "https://ACME.my.salesforce.com/services/apexrest/digitalriverv3/webhooks", Types: AppEvents, Enabled: true, APIVersion: DefaultAPIVersion}
	spec := Spec{Address: want, Types: AppEvents, Enabled: true}
	changes := Diff(cur, spec)
	if len(changes) != 1 || changes[0].Field != "address" || changes[0].To != want {
		t.Fatalf("changes %v; want only the address, restoring the trailing slash", changes)
	}
	if !SameAddress(cur.Address, want) {
		t.Fatal("matching still forgives the slash")
	}
	cur.Address = "https://acme.my.salesforce.com/services/apexrest/digitalriverv3/webhooks/"
	if changes := Diff(cur, spec); len(changes) != 0 {
		t.Fatalf("host case alone is no change: %v", changes)
	}
}
