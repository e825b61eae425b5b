package profile

import (
	"testing"

	"github.com/drsetup/drsetup/field"
)

// BenchmarkSave is one atomic save: temp file, fsync, rename, directory sync.
func BenchmarkSave(b *testing.B) {
	s := NewStore(b.TempDir(), MemoryKeyring())
	p := sampleProfile("acme")
	for b.Loop() {
		if err := s.Save(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	s := NewStore(b.TempDir(), MemoryKeyring())
	if err := s.Save(sampleProfile("acme")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Load("acme"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	p, sec := sampleProfile("acme"), sampleSecrets()
	env := map[string]string{"DRSETUP_PASSWORD": "from-env", "DRSETUP_EVENTS": "order.accepted, order.complete"}
	in := Inputs{
		Flags:    map[field.Field]string{field.MyDomain: "https://acme.my.salesforce.com"},
		Getenv:   func(k string) string { return env[k] },
		Profile:  &p,
		Secrets:  &sec,
		Defaults: map[field.Field]string{field.Auth: "password"},
	}
	for b.Loop() {
		_ = Resolve(in)
	}
}
