// SPDX-License-Identifier: Apache-2.0

//go:build race

package runs

// raceEnabled is true under the race detector, which makes the measuring
// tests slow: they use less data.
const raceEnabled = true
