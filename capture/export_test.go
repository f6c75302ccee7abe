// SPDX-License-Identifier: Apache-2.0

package capture

// OnDevice reports whether c summarises in the training graph (decided by Attach).
func OnDevice(c *Capture) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.onDevice
}
