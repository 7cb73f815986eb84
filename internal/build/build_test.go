package build

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	tests := []struct {
		name         string
		info         debug.BuildInfo
		wantVersion  string
		wantRevision string
	}{
		{"devel without vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel", ""},
		{"tagged module", debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "false"}}},
			"v1.4.0", "0123456789ab"},
		{"dirty tree", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202091500-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}},
			"v0.0.0-20261202091500-0123456789ab+dirty", "0123456789ab-dirty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, r := fromBuildInfo(&tt.info)
			if v != tt.wantVersion || r != tt.wantRevision {
				t.Errorf("fromBuildInfo = %q, %q; want %q, %q", v, r, tt.wantVersion, tt.wantRevision)
			}
		})
	}
}

func TestString(t *testing.T) {
	defer func(v, r string) { Version, Revision = v, r }(Version, Revision)
	Version, Revision = "v1.4.0", "0123456789ab"
	if got := String(); got != "v1.4.0 (rev 0123456789ab)" {
		t.Errorf("String() = %q", got)
	}
	Version, Revision = "v0.0.0-20261202091500-0123456789ab", "0123456789ab"
	if got := String(); got != Version {
		t.Errorf("String() = %q, want the version alone when it already names the revision", got)
	}
	Version, Revision = "1.2.3", ""
	if got := String(); got != "1.2.3" {
		t.Errorf("String() = %q", got)
	}
}
