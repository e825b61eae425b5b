package drapi

import (
	"net/netip"
	"slices"
	"strings"
)

// sourceRanges are the addresses Digital River delivers events and logs in
// to Salesforce from, as its safelist page publishes them
// (facts/diagnosis.md §3). A login from this computer is not a login from
// these: Login IP Ranges, trusted IP ranges (security token needed or not)
// and IP relaxation depend on the address.
var sourceRanges = []netip.Prefix{
	netip.MustParsePrefix("54.204.214.106/32"),
	netip.MustParsePrefix("100.25.55.35/32"),
	netip.MustParsePrefix("3.94.74.169/32"),
	netip.MustParsePrefix("52.207.145.30/32"),
	netip.MustParsePrefix("35.167.151.150/32"),
	netip.MustParsePrefix("50.112.167.211/32"),
	netip.MustParsePrefix("52.36.133.196/32"),
	netip.MustParsePrefix("54.68.3.105/32"),
	netip.MustParsePrefix("52.19.155.167/32"),
	netip.MustParsePrefix("34.241.30.95/32"),
	netip.MustParsePrefix("209.87.180.0/24"),
	netip.MustParsePrefix("217.65.128.0/24"),
	netip.MustParsePrefix("210.242.154.0/29"),
}

// SourceRanges returns the address ranges Digital River calls from, a copy
// the caller may change.
func SourceRanges() []netip.Prefix { return slices.Clone(sourceRanges) }

// IsSourceAddress reports whether ip is one of Digital River's published
// addresses. An IPv4 address written as IPv6 (::ffff:a.b.c.d), as Salesforce
// may record it, counts as itself.
func IsSourceAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range sourceRanges {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// SourceAddressList writes the addresses as an admin types them into
// Salesforce (Login IP Ranges and Network Access take a first and a last
// address, not a prefix): single addresses bare, ranges as first–last.
func SourceAddressList() string {
	parts := make([]string, 0, len(sourceRanges))
	for _, p := range sourceRanges {
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
			continue
		}
		parts = append(parts, p.Masked().Addr().String()+"–"+lastAddr(p).String())
	}
	return strings.Join(parts, ", ")
}

// lastAddr is the highest address of p: its host bits all set.
func lastAddr(p netip.Prefix) netip.Addr {
	p = p.Masked()
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
