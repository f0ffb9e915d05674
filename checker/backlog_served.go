package checker

import "fmt"

// The backlog a master serves. After +CONTINUE a master sends its backlog
// from the offset the replica asked for: those bytes must be the ones its
// stream had at those offsets, the latest it fed there (its own commands
// as a master, or what it applied from its master as a replica). A
// backlog that kept the wrong bytes (the head of a write larger than
// itself rather than its tail, say) hands a replica a history that was
// never the master's, which the replica may apply without a parse error.

// BacklogServe is one partial resync a master served: Data went to
// Replica right after +CONTINUE, its first byte at offset First.
type BacklogServe struct {
	Seq     int // in the order of StreamChunk.Seq
	At      int64
	Node    string
	Replica string
	First   int64
	Data    []byte
}

// BacklogInput is what CheckBacklogServes judges: every stream chunk and
// every backlog served, recorded in one sequence.
type BacklogInput struct {
	Chunks []StreamChunk
	Serves []BacklogServe
}

// CheckBacklogServes reports every served backlog whose bytes differ from
// the node's stream at the same offsets, read from the latest chunks the
// node recorded before it served. Bytes no chunk covers are not judged.
func CheckBacklogServes(in BacklogInput) []Violation {
	var out []Violation
	for _, sv := range in.Serves {
		if len(sv.Data) == 0 {
			continue
		}
		want := make([]byte, len(sv.Data))
		known := make([]bool, len(sv.Data))
		left := len(sv.Data)
		end := sv.First + int64(len(sv.Data)) // offset after the last byte, minus one: bytes are First..end-1
		for i := len(in.Chunks) - 1; i >= 0 && left > 0; i-- {
			c := &in.Chunks[i]
			if c.Seq > sv.Seq || c.Node != sv.Node {
				continue
			}
			// The chunk's bytes are at offsets Start+1 .. End().
			lo, hi := max(c.Start+1, sv.First), min(c.End()+1, end)
			for off := lo; off < hi; off++ {
				j := off - sv.First
				if !known[j] {
					known[j], want[j] = true, c.Data[off-c.Start-1]
					left--
				}
			}
		}
		for j := range sv.Data {
			if known[j] && sv.Data[j] != want[j] {
				out = append(out, Violation{Check: "backlog", At: sv.At, Nodes: []string{sv.Node},
					Detail: fmt.Sprintf("%s served %s a partial resync of %d bytes from offset %d; the byte at offset %d is %q, its stream had %q there (%q ... against %q ...)",
						sv.Node, sv.Replica, len(sv.Data), sv.First, sv.First+int64(j), sv.Data[j], want[j],
						clip(sv.Data[j:], 40), clip(want[j:], 40))})
				break
			}
		}
	}
	return out
}

// clip is at most n bytes of p.
func clip(p []byte, n int) []byte { return p[:min(len(p), n)] }
