package node

func init() {
	register(&command{name: "lcs", arity: -3, flags: flagReadOnly, fn: lcsCommand})
}

// lcsCommand is LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]:
// the longest common subsequence of two strings by Redis's dynamic
// programming table (its size bounded by proto-max-bulk-len, as Redis
// bounds it), walked back from the end so that ties, the string and the
// ranges come out as Redis's do. A missing key is an empty string.
func lcsCommand(n *Node, c *client, args [][]byte) {
	ea := n.lookup(c, args[1])
	eb := n.lookup(c, args[2])
	if ea != nil {
		ea = n.dbs[c.db].lookup(string(args[1])) // eb's expiry may have moved it
	}
	if (ea != nil && ea.kind() != kindString) || (eb != nil && eb.kind() != kindString) {
		c.addError("ERR The specified keys must contain string values")
		return
	}
	var a, b string
	if ea != nil {
		a = ea.val
	}
	if eb != nil {
		b = eb.val
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(args); j++ {
		switch {
		case equalFold(args[j], "idx"):
			getIdx = true
		case equalFold(args[j], "len"):
			getLen = true
		case equalFold(args[j], "withmatchlen"):
			withMatchLen = true
		case equalFold(args[j], "minmatchlen") && j+1 < len(args):
			v, ok := parseInt(args[j+1])
			if !ok {
				c.addError(errNotInteger)
				return
			}
			minMatchLen = max(v, 0)
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	if getLen && getIdx {
		c.addError("ERR If you want both the length and indexes, please just use IDX.")
		return
	}
	if int64(len(a)) >= 1<<32-2 || int64(len(b)) >= 1<<32-2 {
		c.addError("ERR String too long for LCS")
		return
	}
	limit := n.cfg.ProtoMaxBulkLen
	if limit <= 0 {
		limit = 512 << 20
	}
	alen, blen := len(a), len(b)
	if cells := uint64(alen+1) * uint64(blen+1); cells*4 > uint64(limit) {
		c.addError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
		return
	}
	w := blen + 1
	lcs := make([]uint32, (alen+1)*w)
	for i := 1; i <= alen; i++ {
		for j := 1; j <= blen; j++ {
			if a[i-1] == b[j-1] {
				lcs[i*w+j] = lcs[(i-1)*w+j-1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i-1)*w+j], lcs[i*w+j-1])
			}
		}
	}
	total := lcs[alen*w+blen]
	if getLen {
		c.addInt(int64(total))
		return
	}
	result := make([]byte, total)
	idx := total
	var ranges [][5]int64 // a start, a end, b start, b end, length
	aStart, aEnd, bStart, bEnd := alen, 0, 0, 0
	for i, j := alen, blen; i > 0 && j > 0; {
		emit := false
		if a[i-1] == b[j-1] {
			result[idx-1] = a[i-1]
			if aStart == alen {
				aStart, aEnd, bStart, bEnd = i-1, i-1, j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if lcs[(i-1)*w+j] > lcs[i*w+j-1] {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		if emit {
			matchLen := int64(aEnd - aStart + 1)
			if minMatchLen == 0 || matchLen >= minMatchLen {
				ranges = append(ranges, [5]int64{int64(aStart), int64(aEnd), int64(bStart), int64(bEnd), matchLen})
			}
			aStart = alen
		}
	}
	if !getIdx {
		c.addBulkBytes(result)
		return
	}
	c.addArrayLen(4)
	c.addBulk("matches")
	c.addArrayLen(len(ranges))
	for _, r := range ranges {
		if withMatchLen {
			c.addArrayLen(3)
		} else {
			c.addArrayLen(2)
		}
		c.addArrayLen(2)
		c.addInt(r[0])
		c.addInt(r[1])
		c.addArrayLen(2)
		c.addInt(r[2])
		c.addInt(r[3])
		if withMatchLen {
			c.addInt(r[4])
		}
	}
	c.addBulk("len")
	c.addInt(int64(total))
}
