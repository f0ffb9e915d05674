package node

import (
	"fmt"
	"strings"
)

func init() {
	boolConf("always-show-logo", "", confImmutable, func(c *Config) *bool { return &c.AlwaysShowLogo })
}

// logoArt is the ASCII art redis-server 7.0 logs at startup when
// always-show-logo is set, as a format taking the version line, the mode,
// the port and the PID. Tools (Redis's own test suite among them) wait for
// its " PID: <pid>" line.
var logoArt = strings.Join([]string{
	"                _._                                                  ",
	"           _.-``__ ''-._                                             ",
	"      _.-``    `.  `_.  ''-._           %s",
	"  .-`` .-```.  ```\\/    _.,_ ''-._                                  ",
	" (    '      ,       .-`  | `,    )     Running in %s mode",
	" |`-._`-...-` __...-.``-._|'` _.-'|     Port: %d",
	" |    `-._   `._    /     _.-'    |     PID: %d",
	"  `-._    `-._  `-./  _.-'    _.-'                                   ",
	" |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
	" |    `-._`-._        _.-'_.-'    |           replsim                ",
	"  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
	" |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
	" |    `-._`-._        _.-'_.-'    |                                  ",
	"  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
	"      `-._    `-.__.-'    _.-'                                       ",
	"          `-._        _.-'                                           ",
	"              `-.__.-'                                               ",
	"",
	"",
}, "\n")

// Logo returns the startup logo a server running with cfg logs (raw, with
// no log-line prefix) in place of the "Running mode=" line when
// always-show-logo is set: Redis 7.0.15's shape, naming replsim and the
// Redis version it mirrors, the port and the process ID.
func Logo(cfg Config, pid int) string {
	version := fmt.Sprintf("replsim %s (Redis %s compatible) 64 bit", RedisVersion, RedisVersion)
	return fmt.Sprintf(logoArt, version, "standalone", cfg.Port, pid)
}
