// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gonbviz/gonbviz/vegalite"
)

// validateCmd checks each file and prints "FILE: ok" or one "FILE: /path: message" line per
// problem. It returns 1 when any file is invalid or unreadable.
func validateCmd(files []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "gonbviz validate: name at least one spec file (\"-\" for standard input)")
		return 2
	}
	status := 0
	for _, name := range files {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s: cannot read: %v\n", name, err)
			status = 1
			continue
		}
		err = vegalite.Validate(data)
		if err == nil {
			fmt.Fprintf(stdout, "%s: ok\n", name)
			continue
		}
		status = 1
		var ve *vegalite.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				fmt.Fprintf(stdout, "%s: %s\n", name, p)
			}
		} else {
			fmt.Fprintf(stdout, "%s: %v\n", name, err)
		}
	}
	return status
}
