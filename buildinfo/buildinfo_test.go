package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestStampedValuesWinOverEmbeddedOnes(t *testing.T) {
	in := read("1.4.0", "abc123", "2026-12-01T00:00:00Z", func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "fff"}, {Key: "vcs.time", Value: "2020-01-01T00:00:00Z"},
		}}, true
	})
	if in.Version != "1.4.0" || in.Commit != "abc123" || in.Date != "2026-12-01T00:00:00Z" {
		t.Fatalf("got %+v", in)
	}
}

func TestLocalBuildNamesItsVCSRevision(t *testing.T) {
	in := read("", "", "", func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		}}, true
	})
	if in.Version != "dev" {
		t.Errorf("version = %q, want dev", in.Version)
	}
	if got := in.ShortCommit(); got != "0123456789ab+changes" {
		t.Errorf("short commit = %q", got)
	}
}

func TestGoInstallVersionIsTheModuleVersion(t *testing.T) {
	in := read("", "", "", func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, true
	})
	if in.Version != "1.2.3" || in.ShortCommit() != "unknown" {
		t.Fatalf("got %+v / %q", in, in.ShortCommit())
	}
}

func TestUserAgentAndLine(t *testing.T) {
	in := Info{Version: "1.0.0", Commit: "abcdef0123456789", OS: "darwin", Arch: "arm64"}
	if got := in.UserAgent(); got != "drsetup/1.0.0 (darwin; arm64)" {
		t.Errorf("user agent %q", got)
	}
	if got := in.Line(); !strings.HasPrefix(got, "drsetup 1.0.0 (commit abcdef012345, darwin/arm64)") {
		t.Errorf("line %q", got)
	}
}

// Since Go 1.24, go build in a git checkout records a pseudo-version, or the
// tag with +dirty: still a local build.
func TestABuildFromACheckoutIsDevWhateverGoRecords(t *testing.T) {
	for _, v := range []string{
		"(devel)", "",
		"v0.0.0-20261201090628-611470335e3d",
		"v1.2.4-0.20261201090628-611470335e3d",
		"v1.3.0-rc.1.0.20261201090628-611470335e3d",
		"v0.0.0-20261201090628-611470335e3d+dirty",
		"v1.2.3+dirty",
	} {
		in := read("", "", "", func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: v}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "611470335e3d0000"}}}, true
		})
		if in.Version != "dev" || in.Commit != "611470335e3d0000" {
			t.Errorf("recorded %q: version %q, commit %q; want dev with the commit", v, in.Version, in.Commit)
		}
	}
	for v, want := range map[string]string{"v1.2.3": "1.2.3", "v1.3.0-rc.1": "1.3.0-rc.1", "v2.0.0+incompatible": "2.0.0+incompatible"} {
		in := read("", "", "", func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: v}}, true })
		if in.Version != want {
			t.Errorf("recorded %q: version %q, want %q", v, in.Version, want)
		}
	}
}
