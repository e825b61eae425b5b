// Package buildinfo says which drsetup is running: the release version, the
// commit and the build date stamped in at release time, or for a local build
// the VCS revision Go embedded. Every report names it, so a ticket always says
// which code produced it.
package buildinfo

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Set at release time with -ldflags "-X github.com/drsetup/drsetup/buildinfo.version=…"
// (GoReleaser's {{.Version}}, {{.Commit}}, {{.Date}}).
var (
	version = ""
	commit  = ""
	date    = ""
)

// Info is what a report says about the program that wrote it.
type Info struct {
	Version string `json:"version"` // the release version, "dev" for a local build
	Commit  string `json:"commit"`  // the VCS revision, "" when unknown
	Date    string `json:"date,omitempty"`
	Go      string `json:"-"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	// Modified is set when a local build came from a checkout with
	// uncommitted changes.
	Modified bool `json:"-"`
}

var (
	once sync.Once
	info Info
)

// Get returns the running program's build information.
func Get() Info {
	once.Do(func() { info = read(version, commit, date, debug.ReadBuildInfo) })
	return info
}

func read(v, c, d string, readBuild func() (*debug.BuildInfo, bool)) Info {
	in := Info{Version: v, Commit: c, Date: d, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi, ok := readBuild(); ok {
		if in.Version == "" && isRelease(bi.Main.Version) {
			// go install github.com/drsetup/drsetup@v1.2.3
			in.Version = strings.TrimPrefix(bi.Main.Version, "v")
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				in.Modified = in.Modified || s.Value == "true"
			}
		}
	}
	if in.Version == "" {
		in.Version = "dev"
	}
	return in
}

// pseudoVersion is Go's form for a commit that no tag names
// (v0.0.0-20261201090628-611470335e3d), as golang.org/x/mod/module writes it.
var pseudoVersion = regexp.MustCompile(`^v[0-9]+\.(0\.0-|[0-9]+\.[0-9]+-([^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// isRelease reports whether the module version Go recorded names a release.
// Since Go 1.24 a build from a git checkout records a pseudo-version, or
// the tag with "+dirty" for uncommitted changes: those are local builds,
// "dev", whose commit line says which code they are.
func isRelease(v string) bool {
	return v != "" && v != "(devel)" && !strings.HasSuffix(v, "+dirty") && !pseudoVersion.MatchString(v)
}

// ShortCommit is the commit's first 12 characters, with "+changes" for a
// build from a modified checkout; "unknown" when no commit is known.
func (i Info) ShortCommit() string {
	c := i.Commit
	if c == "" {
		return "unknown"
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if i.Modified {
		c += "+changes"
	}
	return c
}

// UserAgent is the HTTP User-Agent drsetup sends: drsetup/VERSION (os; arch).
func (i Info) UserAgent() string {
	return "drsetup/" + i.Version + " (" + i.OS + "; " + i.Arch + ")"
}

// Line is the one-line form for the top of a report or a debug log:
// "drsetup 1.2.3 (commit 0123456789ab, linux/amd64)".
func (i Info) Line() string {
	return "drsetup " + i.Version + " (commit " + i.ShortCommit() + ", " + i.OS + "/" + i.Arch + ")"
}
