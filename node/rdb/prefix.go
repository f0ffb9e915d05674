package rdb

// ParsePrefix is Parse for an RDB that other bytes follow (an AOF written
// with an RDB preamble: the RDB, then commands): it returns the snapshot
// and how many bytes the RDB took, with every check of Parse but the one
// for trailing bytes.
func ParsePrefix(data []byte) (*Snapshot, int, error) {
	p := parser{r: reader{data: data}}
	if err := p.header(); err != nil {
		return nil, 0, err
	}
	if err := p.body(); err != nil {
		return nil, 0, err
	}
	end := p.r.pos
	if p.version >= 5 {
		end += 8
	}
	if end > len(data) {
		end = len(data) // let Parse report the truncation
	}
	snap, err := Parse(data[:end])
	if err != nil {
		return nil, 0, err
	}
	return snap, end, nil
}
