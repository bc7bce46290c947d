// Command ferretdb-launcher runs FerretDB v1 (SQLite backend) on one loopback TCP
// port, for local development and CI. It embeds FerretDB as a library because the
// upstream cmd/ferretdb, built with `go install`, panics on its missing generated
// version file (see /work/shared/docs/engines.md).
//
// Usage:
//
//	ferretdb-launcher -port 27017 -data-dir /tmp/ferretdb-data   # serve until SIGTERM/SIGINT
//	ferretdb-launcher -ping 127.0.0.1:27017                      # readiness probe, exit 0 when it answers
//
// The probe lives here, not in a Node or Python snippet, so that readiness needs
// nothing but the binary that install.sh already built.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	port := flag.Int("port", 27017, "TCP port to listen on (always 127.0.0.1)")
	dataDir := flag.String("data-dir", "", "directory for the SQLite files (created if missing; required)")
	logLevel := flag.String("log-level", "error", "FerretDB log level: debug, info, warn or error")
	ping := flag.String("ping", "", "instead of serving, send a MongoDB `hello` to host:port and exit 0 if it answers ok")
	flag.Parse()

	if *ping != "" {
		if err := hello(*ping, 2*time.Second); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-launcher: ping %s: %v\n", *ping, err)
			os.Exit(1)
		}
		return
	}

	if err := serve(*port, *dataDir, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}
}

func serve(port int, dataDir, logLevel string) error {
	if dataDir == "" {
		return errors.New("-data-dir is required")
	}
	if port <= 0 || port > 65535 {
		return fmt.Errorf("invalid -port %d", port)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}

	// FerretDB's SQLite backend wants an existing directory and a "file:" URI ending in "/".
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return err
	}
	// url.URL escapes spaces and other odd characters the backend would otherwise misparse.
	sqliteURL := (&url.URL{Scheme: "file", Path: abs + "/"}).String()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	// Error by default: at info FerretDB logs every connection start/stop, and at warn it dumps
	// every command that answers ok: 0 (including the duplicate-key errors tests provoke on
	// purpose). Use -log-level warn to see those dumps when debugging an adapter.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// New binds the listener, so a busy port fails here, before anything is printed as ready.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	// One line regardless of log level, so the log says where it listens and which data it uses.
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: listening on %s, data %s, pid %d\n", addr, sqliteURL, os.Getpid())

	// Run returns after ctx is cancelled, the listener is closed and the backend is closed,
	// so the SQLite files are consistent when the process exits.
	err = f.Run(ctx)
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: stopped\n")
	return err
}

// hello sends {hello: 1, $db: "admin"} as an OP_MSG and checks the reply has ok: 1.
// A TCP connect alone would pass before FerretDB's handler is usable; a round trip does not.
func hello(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	var doc bytes.Buffer // BSON: {hello: int32(1), $db: "admin"}
	doc.Write([]byte{0, 0, 0, 0})
	doc.WriteByte(0x10) // int32
	doc.WriteString("hello\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteByte(0x02) // string
	doc.WriteString("$db\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0)
	b := doc.Bytes()
	binary.LittleEndian.PutUint32(b, uint32(len(b)))

	const opMsg = 2013
	var msg bytes.Buffer
	_ = binary.Write(&msg, binary.LittleEndian, [4]int32{int32(16 + 4 + 1 + len(b)), 1, 0, opMsg})
	_ = binary.Write(&msg, binary.LittleEndian, uint32(0)) // flagBits
	msg.WriteByte(0)                                       // section kind 0: body
	msg.Write(b)
	if _, err = conn.Write(msg.Bytes()); err != nil {
		return err
	}

	var header [4]int32 // messageLength, requestID, responseTo, opCode
	if err = binary.Read(conn, binary.LittleEndian, &header); err != nil {
		return err
	}
	if header[3] != opMsg || header[0] < 16+4+1+5 || header[0] > 48<<20 {
		return fmt.Errorf("unexpected reply header %v", header)
	}
	body := make([]byte, header[0]-16)
	if _, err = io.ReadFull(conn, body); err != nil {
		return err
	}

	ok, err := okField(body[5:]) // skip flagBits and the section kind byte
	if err != nil {
		return err
	}
	if ok != 1 {
		return fmt.Errorf("hello replied ok: %v", ok)
	}
	return nil
}

// okField walks the top level of a BSON document and returns its numeric "ok" field.
func okField(doc []byte) (float64, error) {
	if len(doc) < 5 || int(binary.LittleEndian.Uint32(doc)) > len(doc) {
		return 0, errors.New("truncated reply document")
	}
	doc = doc[4:binary.LittleEndian.Uint32(doc)]
	for len(doc) > 1 {
		typ := doc[0]
		end := bytes.IndexByte(doc[1:], 0)
		if end < 0 {
			return 0, errors.New("bad element name")
		}
		name := string(doc[1 : 1+end])
		v := doc[2+end:]
		var size int
		switch typ {
		case 0x01, 0x09, 0x11, 0x12: // double, datetime, timestamp, int64
			size = 8
		case 0x10: // int32
			size = 4
		case 0x08: // bool
			size = 1
		case 0x0A: // null
			size = 0
		case 0x07: // ObjectId
			size = 12
		case 0x02: // string: int32 length + bytes
			if len(v) < 4 {
				return 0, errors.New("truncated string")
			}
			size = 4 + int(binary.LittleEndian.Uint32(v))
		case 0x03, 0x04: // document, array: int32 total length
			if len(v) < 4 {
				return 0, errors.New("truncated document")
			}
			size = int(binary.LittleEndian.Uint32(v))
		case 0x05: // binary: int32 length + subtype + bytes
			if len(v) < 4 {
				return 0, errors.New("truncated binary")
			}
			size = 5 + int(binary.LittleEndian.Uint32(v))
		default:
			return 0, fmt.Errorf("unexpected BSON type 0x%02x before ok", typ)
		}
		if size > len(v) {
			return 0, errors.New("truncated element")
		}
		if name == "ok" {
			switch typ {
			case 0x01:
				return math.Float64frombits(binary.LittleEndian.Uint64(v)), nil
			case 0x10:
				return float64(int32(binary.LittleEndian.Uint32(v))), nil
			case 0x12:
				return float64(int64(binary.LittleEndian.Uint64(v))), nil
			case 0x08:
				if v[0] != 0 {
					return 1, nil
				}
				return 0, nil
			}
			return 0, fmt.Errorf("ok has BSON type 0x%02x", typ)
		}
		doc = v[size:]
	}
	return 0, errors.New("no ok field in reply")
}
