// Command mediahost-ferretdb runs FerretDB v1 (SQLite backend) through its embeddable package.
// Building cmd/ferretdb outside FerretDB's own repository panics on a missing version file,
// and the embeddable package also keeps telemetry and the debug port off by construction.
//
// It listens only on a unix socket: FerretDB v1 has no authentication its embeddable package can turn on,
// so a loopback TCP port would let any local user read and write the database. The socket and the SQLite
// files are created owner-only (umask 077, socket chmod 0600), so only the platform's own user can connect.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	syscall.Umask(0o077)

	listenUnix := flag.String("listen-unix", "", "unix socket path to listen on (created mode 0600)")
	sqliteURL := flag.String("sqlite-url", "", "SQLite backend URL, e.g. file:/data/db/")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	if *sqliteURL == "" || *listenUnix == "" {
		fmt.Fprintln(os.Stderr, "-sqlite-url and -listen-unix are required")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "bad -log-level:", err)
		os.Exit(2)
	}
	var logOut io.Writer = os.Stderr
	logger := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: *listenUnix},
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.Chmod(*listenUnix, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	// The launcher in @mediahost/core waits for this line; MongoDB drivers take the socket path escaped as the host.
	fmt.Printf("listening mongodb://%s/\n", url.PathEscape(*listenUnix))
	<-done
}
