// Package build says which dynodoc this is: the version stamped at link time with
// -ldflags, or else what the Go toolchain recorded in the binary (the module version
// and the VCS revision), as the GitHub CLI's internal/build does.
package build

import (
	"runtime/debug"
	"strings"
)

// Version is set at link time:
//
//	-ldflags "-X github.com/dynodoc/dynodoc/internal/build.Version=1.2.3"
//
// When it is empty, the module version from the build info is used.
var Version = ""

// Revision is the VCS revision the binary was built from, with "-dirty" when the work
// tree had changes. It may be stamped with -ldflags like Version.
var Revision = ""

func init() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if Version == "" {
			Version = "devel"
		}
		return
	}
	v, r := fromBuildInfo(info)
	if Version == "" {
		Version = v
	}
	if Revision == "" {
		Revision = r
	}
}

// fromBuildInfo returns the module version and VCS revision recorded by the toolchain.
func fromBuildInfo(info *debug.BuildInfo) (version, revision string) {
	version = info.Main.Version
	if version == "" || version == "(devel)" {
		version = "devel"
	}
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if revision != "" && dirty {
		revision += "-dirty"
	}
	return version, revision
}

// String is the one-line description `dynodoc --version` prints after the name:
// "v1.2.3 (rev 0123456789ab)", or just the version when no revision is known.
func String() string {
	if Revision == "" || strings.Contains(Version, strings.TrimSuffix(Revision, "-dirty")) {
		return Version
	}
	return Version + " (rev " + Revision + ")"
}

// EngineName is the binary that does all of dynodoc's work but the few fast paths of
// the dynodoc front (internal/front), which execs it from the folder it sits in. The
// two are built and installed together (go install ./cmd/..., a release archive).
const EngineName = "dynodoc-engine"
