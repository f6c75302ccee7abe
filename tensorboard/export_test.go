// SPDX-License-Identifier: Apache-2.0

package tensorboard

// AppendRecord frames data as one TFRecord, for tests that write damaged files.
var AppendRecord = appendRecord
