// SPDX-License-Identifier: Apache-2.0

// Package notebooks holds gonbviz's example notebooks. Its tests execute each one with
// the real GoNB kernel (nbclient) and check the saved outputs; with
// GONBVIZ_UPDATE_DOCS=1 they also write the executed notebooks to docs/notebooks/.
package notebooks
