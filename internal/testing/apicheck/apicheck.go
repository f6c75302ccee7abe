// SPDX-License-Identifier: Apache-2.0

// Package apicheck holds the tests of the module's shape: no internal type in a public
// API, and imports that follow the data flow (training → capture and runs → charts →
// render → notebook or file).
package apicheck
