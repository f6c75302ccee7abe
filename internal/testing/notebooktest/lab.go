// SPDX-License-Identifier: Apache-2.0

package notebooktest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Lab is a JupyterLab server on loopback, serving one directory, for browser tests.
type Lab struct {
	URL   string // http://127.0.0.1:PORT
	Token string
	Root  string
	log   *lockedBuffer
}

// lockedBuffer is a bytes.Buffer safe for the server's output goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// NotebookURL is the address that opens a notebook (relative to Root) in JupyterLab, in a
// fresh workspace (no tabs restored from an earlier visit).
func (l *Lab) NotebookURL(name string) string {
	return fmt.Sprintf("%s/lab/tree/%s?reset&token=%s", l.URL, name, l.Token)
}

// StartLab starts `jupyter lab` on 127.0.0.1 serving root, and stops it when the test ends.
// Notebooks are rendered whole (windowingMode "none"), so outputs below the fold exist in
// the page, and JupyterLab neither checks for updates nor fetches news.
func StartLab(t testing.TB, root string) *Lab {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var tok [16]byte
	_, _ = rand.Read(tok[:])
	token := hex.EncodeToString(tok[:])

	settings := t.TempDir()
	nbSettings := filepath.Join(settings, "@jupyterlab", "notebook-extension")
	if err := os.MkdirAll(nbSettings, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nbSettings, "tracker.jupyterlab-settings"), []byte(`{"windowingMode": "none"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	appSettings := filepath.Join(settings, "@jupyterlab", "apputils-extension")
	if err := os.MkdirAll(appSettings, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(appSettings, "notification.jupyterlab-settings"), []byte(`{"fetchNews": "false", "checkForUpdates": false}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	cmd := Command(t, root, "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--ServerApp.port_retries=0", "--IdentityProvider.token="+token, "--ServerApp.root_dir="+root,
		"--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=",
		"--LabApp.user_settings_dir="+settings, "--LabApp.workspaces_dir="+ws)
	cmd.Env = append(cmd.Env, "JUPYTERLAB_SETTINGS_DIR="+settings, "JUPYTERLAB_WORKSPACES_DIR="+ws)
	// Its own process group, so stopping it also stops the kernels it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting jupyter lab: %v", err)
	}
	lab := &Lab{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: token, Root: root, log: log}
	t.Cleanup(func() {
		// SIGTERM: jupyter's SIGINT handler asks for confirmation on a terminal.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(lab.URL + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return lab
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("jupyter lab did not start in 90 s:\n%s", log.String())
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// Log returns what the server printed so far.
func (l *Lab) Log() string { return l.log.String() }
