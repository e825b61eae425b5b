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
