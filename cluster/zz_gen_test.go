package cluster

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/replsim/replsim/internal/redistest"
	"github.com/replsim/replsim/node/resp"
	"github.com/replsim/replsim/sim"
	"github.com/stretchr/testify/require"
)

func TestZZGen(t *testing.T) {
	in := os.Getenv("GEN_IN")
	if in == "" {
		t.Skip()
	}
	bin, _ := exec.LookPath("redis-server")
	srv := redistest.Start(t, bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "yes")
	rc := srv.Dial(t)
	h := New(sim.NewWorld(1), Options{})
	require.NoError(t, h.Start("n1", NodeOptions{}))
	f, _ := os.Open(in)
	sc := bufio.NewScanner(f)
	out, _ := os.Create(in + ".out")
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words := strings.Fields(line)
		for i, w := range words {
			if w == `""` {
				words[i] = ""
			}
		}
		got := rc.Do(t, words...)
		want := strings.ReplaceAll(got.String(), "\n", " ")
		if got.Kind == resp.Error {
			want = string(got.Str)
		}
		v, err := h.Exec("n1", words...)
		require.NoError(t, err)
		mine := strings.ReplaceAll(v.String(), "\n", " ")
		if v.Kind == resp.Error {
			mine = string(v.Str)
		}
		if mine == want {
			fmt.Fprintf(out, "\terrCmd(%s, %s),\n", strconv.Quote(line), strconv.Quote(want))
		} else {
			fmt.Fprintf(out, "MISMATCH %s\n  redis: %s\n  node:  %s\n", line, want, mine)
		}
	}
	out.Close()
}
