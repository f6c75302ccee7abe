// SPDX-License-Identifier: Apache-2.0

package schema_test

import (
	"encoding/json"
	"fmt"

	"github.com/gonbviz/gonbviz/vegalite/schema"
)

// The Vega-Lite JSON schema that gonbviz validates every chart against travels in the binary.
func ExampleJSON() {
	data, err := schema.JSON()
	if err != nil {
		fmt.Println(err)
		return
	}
	var s struct {
		Ref string `json:"$ref"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(schema.Version, s.Ref)
	// Output:
	// 5.23.0 #/definitions/TopLevelSpec
}
