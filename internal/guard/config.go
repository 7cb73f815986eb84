package guard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxConfig bounds the config file: it lists app names.
const maxConfig = 1 << 20

// Config is $XDG_CONFIG_HOME/dynodoc/config.yaml: the apps to treat as production when
// the API cannot say (no token, an app outside any pipeline).
//
//	production: [shop-prod, "*-prod"]
type Config struct {
	Path       string   `yaml:"-"`
	Production []string `yaml:"production"` // app names or path.Match patterns
	// Broken says why the file could not be read; then every app counts as production.
	Broken string `yaml:"-"`
	// Unknown are top-level keys the guard does not know: a typo such as "prodution"
	// must not pass silently.
	Unknown []string `yaml:"-"`
}

// ConfigPath is $XDG_CONFIG_HOME/dynodoc/config.yaml, else ~/.config/dynodoc/config.yaml;
// "" when neither variable is usable.
func ConfigPath(getenv func(string) string) string {
	if base := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(base) {
		return filepath.Join(base, "dynodoc", "config.yaml")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".config", "dynodoc", "config.yaml")
	}
	return ""
}

// LoadConfig reads the config file; a missing file is an empty config.
func LoadConfig(p string) (Config, error) {
	c := Config{Path: p}
	if p == "" {
		return c, nil
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("unable to read %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfig+1))
	if err != nil {
		return c, fmt.Errorf("unable to read %s: %w", p, err)
	}
	if len(data) > maxConfig {
		return c, fmt.Errorf("%s is larger than %d bytes: it should only list app names", p, maxConfig)
	}
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return c, fmt.Errorf("%s: %w", p, err)
	}
	for k, node := range raw {
		if k != "production" {
			c.Unknown = append(c.Unknown, k)
			continue
		}
		if err := node.Decode(&c.Production); err != nil {
			return c, fmt.Errorf("%s: production must be a list of app names or patterns: %w", p, err)
		}
	}
	slices.Sort(c.Unknown)
	for _, pat := range c.Production {
		if _, err := path.Match(pat, ""); err != nil || strings.TrimSpace(pat) == "" {
			return c, fmt.Errorf("%s: %q is not an app name or pattern (such as \"*-prod\")", p, pat)
		}
	}
	return c, nil
}

// IsProduction returns the entry that names app production, or "".
func (c Config) IsProduction(app string) string {
	for _, pat := range c.Production {
		if ok, _ := path.Match(pat, app); ok {
			return pat
		}
	}
	return ""
}
