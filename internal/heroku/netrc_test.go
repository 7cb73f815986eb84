package heroku

import (
	"strings"
	"testing"
)

func TestParseNetrc(t *testing.T) {
	tests := []struct {
		name, data, machine string
		login, password     string
		found               bool
	}{
		{"one line", "machine api.heroku.com login a@b.c password tok1", "api.heroku.com", "a@b.c", "tok1", true},
		{"several lines and machines", "machine git.heroku.com\n  login x\n  password gitpw\nmachine api.heroku.com\n  login y@z\n  password apipw\n", "api.heroku.com", "y@z", "apipw", true},
		{"case of the host", "machine API.Heroku.com login a password p", "api.heroku.com", "a", "p", true},
		{"comments", "# machine api.heroku.com login no password no\nmachine api.heroku.com login a password p # trailing\n", "api.heroku.com", "a", "p", true},
		{"quoted password", `machine api.heroku.com login a password "p w\"x"`, "api.heroku.com", "a", `p w"x`, true},
		{"default entry", "machine other login o password op\ndefault login d password dp", "api.heroku.com", "d", "dp", true},
		{"machine wins over default", "default login d password dp\nmachine api.heroku.com login a password p", "api.heroku.com", "a", "p", true},
		{"macdef body is skipped", "macdef init\nmachine api.heroku.com login evil password evil\n\nmachine api.heroku.com login a password p\n", "api.heroku.com", "a", "p", true},
		{"missing", "machine other login o password op", "api.heroku.com", "", "", false},
		{"truncated", "machine api.heroku.com login", "api.heroku.com", "", "", true},
		{"CRLF", "machine api.heroku.com\r\n login a\r\n password p\r\n", "api.heroku.com", "a", "p", true},
		{"empty", "", "api.heroku.com", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := lookupNetrc(parseNetrc(tt.data), tt.machine)
			if ok != tt.found || e.Login != tt.login || e.Password != tt.password {
				t.Errorf("got %+v, %v; want login %q password %q found %v", e, ok, tt.login, tt.password, tt.found)
			}
		})
	}
}

// quoteNetrc writes a token so that parseNetrc reads it back unchanged.
func quoteNetrc(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func FuzzParseNetrc(f *testing.F) {
	f.Add("machine api.heroku.com login a password p", "api.heroku.com", "me@x.io", "tok")
	f.Add("macdef x\nfoo\n\n# c\ndefault", "h", "l", "p w")
	f.Add(`"unterminated \`, "", "", `"`)
	f.Fuzz(func(t *testing.T, junk, machine, login, password string) {
		// Any text parses without panicking.
		parseNetrc(junk)
		// A well-formed entry reads back exactly, whatever surrounds it.
		if machine == "" {
			return
		}
		data := "machine " + quoteNetrc(machine) + " login " + quoteNetrc(login) + " password " + quoteNetrc(password) + "\n"
		e, ok := lookupNetrc(parseNetrc(data), machine)
		if !ok || e.Login != login || e.Password != password {
			t.Fatalf("round trip of %q: got %+v %v", data, e, ok)
		}
	})
}
