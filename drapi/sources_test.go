package drapi

import (
	"net/netip"
	"strings"
	"testing"
)

func TestIsSourceAddress(t *testing.T) {
	for _, c := range []struct {
		ip   string
		want bool
	}{
		{"54.204.214.106", true}, {"54.204.214.107", false},
		{"209.87.180.0", true}, {"209.87.180.255", true}, {"209.87.181.0", false},
		{"217.65.128.42", true}, {"210.242.154.7", true}, {"210.242.154.8", false},
		{"::ffff:52.19.155.167", true}, {"127.0.0.1", false}, {"2001:db8::1", false},
	} {
		if got := IsSourceAddress(netip.MustParseAddr(c.ip)); got != c.want {
			t.Errorf("IsSourceAddress(%s) = %v", c.ip, got)
		}
	}
	if IsSourceAddress(netip.Addr{}) {
		t.Error("the invalid address counts as Digital River's")
	}
	if len(SourceRanges()) != 13 {
		t.Errorf("%d ranges, want the 13 Digital River publishes", len(SourceRanges()))
	}
	r := SourceRanges()
	r[0] = netip.Prefix{}
	if !IsSourceAddress(netip.MustParseAddr("54.204.214.106")) {
		t.Error("SourceRanges hands out the package's own slice")
	}
}

// The list reads as an admin types it into Salesforce, and says exactly the
// published ranges: read back, each entry is the range it stands for.
func TestSourceAddressListIsWhatAnAdminTypes(t *testing.T) {
	list := SourceAddressList()
	for _, want := range []string{"54.204.214.106, ", "209.87.180.0–209.87.180.255", "217.65.128.0–217.65.128.255", "210.242.154.0–210.242.154.7"} {
		if !strings.Contains(list, want) {
			t.Errorf("list %q lacks %q", list, want)
		}
	}
	if strings.Contains(list, "/") {
		t.Errorf("list %q writes a prefix", list)
	}
	entries := strings.Split(list, ", ")
	ranges := SourceRanges()
	if len(entries) != len(ranges) {
		t.Fatalf("%d entries for %d ranges", len(entries), len(ranges))
	}
	for i, e := range entries {
		first, last, isRange := strings.Cut(e, "–")
		if !isRange {
			last = first
		}
		lo, hi := netip.MustParseAddr(first), netip.MustParseAddr(last)
		p := ranges[i]
		if lo != p.Masked().Addr() || !p.Contains(hi) || p.Contains(hi.Next()) || isRange == p.IsSingleIP() {
			t.Errorf("entry %q does not stand for %s", e, p)
		}
	}
}

func TestLastAddrSetsEveryHostBit(t *testing.T) {
	for prefix, want := range map[string]string{
		"10.0.0.0/8": "10.255.255.255", "192.168.1.77/30": "192.168.1.79", "1.2.3.4/32": "1.2.3.4",
		"0.0.0.0/0": "255.255.255.255", "2001:db8::/126": "2001:db8::3", "2001:db8::/64": "2001:db8::ffff:ffff:ffff:ffff",
	} {
		if got := lastAddr(netip.MustParsePrefix(prefix)).String(); got != want {
			t.Errorf("lastAddr(%s) = %s, want %s", prefix, got, want)
		}
	}
}
