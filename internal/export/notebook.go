// SPDX-License-Identifier: Apache-2.0

package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Notebook is the part of a Jupyter notebook (nbformat 4) that an export shows.
type Notebook struct {
	Language string // the kernel's language ("go"), for the code cells' class
	Cells    []Cell
}

// Cell is one notebook cell.
type Cell struct {
	Type           string // "markdown", "code" or "raw"
	Source         string
	ExecutionCount int // 0 when the cell did not run
	Outputs        []Output
	// Attachments are a markdown cell's embedded files ("attachment:NAME" in its
	// source): name -> mime type -> the file, base64-encoded as nbformat stores it.
	Attachments map[string]map[string]string
}

// Output is one output of a code cell.
type Output struct {
	Type string // "stream", "display_data", "execute_result" or "error"

	Name string // stream: "stdout" or "stderr"
	Text string // stream: the text

	// Data is the mime bundle of display_data and execute_result: text types joined into
	// one string, JSON types (application/...+json) as their raw JSON.
	Data map[string]json.RawMessage

	EName, EValue string   // error
	Traceback     []string // error, with the terminal's colour codes
}

// DataText returns the output's data for a mime type as text, and whether it has it.
func (o Output) DataText(mime string) (string, bool) {
	raw, ok := o.Data[mime]
	if !ok {
		return "", false
	}
	return multiline(raw)
}

type rawNotebook struct {
	NBFormat int `json:"nbformat"`
	Metadata struct {
		Kernelspec struct {
			Language string `json:"language"`
		} `json:"kernelspec"`
		LanguageInfo struct {
			Name string `json:"name"`
		} `json:"language_info"`
	} `json:"metadata"`
	Cells []struct {
		CellType       string                                `json:"cell_type"`
		Source         json.RawMessage                       `json:"source"`
		ExecutionCount *int                                  `json:"execution_count"`
		Attachments    map[string]map[string]json.RawMessage `json:"attachments"`
		Outputs        []struct {
			OutputType string                     `json:"output_type"`
			Name       string                     `json:"name"`
			Text       json.RawMessage            `json:"text"`
			Data       map[string]json.RawMessage `json:"data"`
			EName      string                     `json:"ename"`
			EValue     string                     `json:"evalue"`
			Traceback  []string                   `json:"traceback"`
		} `json:"outputs"`
	} `json:"cells"`
}

// Parse reads a notebook in nbformat 4 (the format Jupyter has written since 2015).
func Parse(data []byte) (*Notebook, error) {
	var raw rawNotebook
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not a Jupyter notebook (its JSON does not parse: %v)", err)
	}
	if raw.NBFormat != 4 {
		if raw.NBFormat == 0 {
			return nil, fmt.Errorf("not a Jupyter notebook (no nbformat field)")
		}
		return nil, fmt.Errorf("nbformat %d is not supported; convert it with `jupyter nbconvert --to notebook --nbformat 4`", raw.NBFormat)
	}
	nb := &Notebook{Language: raw.Metadata.Kernelspec.Language}
	if nb.Language == "" {
		nb.Language = raw.Metadata.LanguageInfo.Name
	}
	for i, rc := range raw.Cells {
		src, ok := multiline(rc.Source)
		if !ok && len(rc.Source) > 0 {
			return nil, fmt.Errorf("cell %d: its source is neither a string nor a list of strings", i+1)
		}
		c := Cell{Type: rc.CellType, Source: src}
		if rc.ExecutionCount != nil {
			c.ExecutionCount = *rc.ExecutionCount
		}
		for name, files := range rc.Attachments {
			for mime, v := range files {
				s, ok := multiline(v)
				if !ok {
					continue
				}
				if c.Attachments == nil {
					c.Attachments = map[string]map[string]string{}
				}
				if c.Attachments[name] == nil {
					c.Attachments[name] = map[string]string{}
				}
				c.Attachments[name][mime] = s
			}
		}
		for j, ro := range rc.Outputs {
			o := Output{Type: ro.OutputType, Name: ro.Name, EName: ro.EName, EValue: ro.EValue, Traceback: ro.Traceback}
			if len(ro.Text) > 0 {
				t, ok := multiline(ro.Text)
				if !ok {
					return nil, fmt.Errorf("cell %d, output %d: its text is neither a string nor a list of strings", i+1, j+1)
				}
				o.Text = t
			}
			if len(ro.Data) > 0 {
				o.Data = ro.Data
			}
			c.Outputs = append(c.Outputs, o)
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

// multiline decodes nbformat's multiline strings: a string, or a list of strings joined.
func multiline(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", false
	}
	return strings.Join(parts, ""), true
}
