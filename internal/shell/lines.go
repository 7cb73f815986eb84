package shell

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxLine is where a line without an end is cut so streaming goes on.
const maxLine = 64 << 10

// readLines calls emit for each line of r, without its "\n" or "\r\n", until r ends.
// A line longer than maxLine is emitted in maxLine pieces; a last line without an end
// is emitted too.
func readLines(r io.Reader, emit func(string)) {
	br := bufio.NewReaderSize(r, maxLine)
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			chunk = bytes.TrimSuffix(chunk[:len(chunk)-1], []byte("\r"))
			emit(string(chunk))
		case errors.Is(err, bufio.ErrBufferFull):
			emit(string(chunk))
		default:
			if len(chunk) > 0 {
				emit(string(chunk))
			}
			return
		}
	}
}
