// SPDX-License-Identifier: Apache-2.0

// Package tensorboard writes TensorBoard event files and reads them back: the runs gonbviz
// records can be opened by TensorBoard (`tensorboard --logdir DIR`), and the logs of
// TensorBoard, TensorFlow, tensorboardX and PyTorch's SummaryWriter can be drawn by gonbviz.
// It knows nothing of GoMLX or of charts: package capture turns its histograms into
// snapshots (capture.TensorBoardSnapshots), package charts its scalars into curves
// (charts.TensorBoardCurves), and notebookviz.DashboardOptions.TensorBoard writes a
// dashboard's run as event files.
//
//	w, err := tensorboard.NewWriter(runDir, tensorboard.WriterOptions{})
//	err = w.AddScalar("train/loss", step, loss, time.Now()) // cheap, any goroutine
//	err = w.AddHistogram("weights/dense/weights", step, h, time.Now())
//	err = w.AddText("config", 0, "| lr | 0.01 |", time.Now())
//	err = w.Close()
//
//	log, err := tensorboard.Read(logdir) // every run under logdir
//	log, err = tensorboard.ReadWith(logdir, tensorboard.ReadOptions{MaxPoints: 5000})
//
// # Files
//
// An event file is a sequence of TFRecords, each framed as TensorFlow frames them: the
// data's length (uint64, little-endian), the masked CRC-32C of those 8 bytes, the data, and
// the masked CRC-32C of the data (Castagnoli polynomial; masked as (crc>>15 | crc<<17) +
// 0xa282ead8). Each record's data is one tensorboard.Event protocol buffer, encoded here
// with google.golang.org/protobuf's protowire, field by field, after TensorBoard's
// event.proto, summary.proto and tensor.proto.
//
// A Writer creates events.out.tfevents.<unix seconds>.<host>.<pid>.<n> in its directory
// (TensorBoard reads every file whose name holds "tfevents", in name order); its first
// event has file_version "brain.Event:2". Then, one event per Add:
//
//   - AddScalar: a summary value with simple_value (a float32, the precision of every
//     TensorBoard scalar), as tensorboardX and TensorFlow 1 write it;
//   - AddHistogram: a HistogramProto (min, max, num, sum, sum_squares, bucket_limit,
//     bucket);
//   - AddText: a string tensor with the plugin "text" in its metadata, as TensorBoard's
//     own text summary;
//   - AddGraph: a GraphDef in the event's graph_def, as PyTorch's add_graph writes one
//     (NodeDefs named by scope, their inputs, "dtype" and "_output_shapes" attributes),
//     for TensorBoard's Graphs tab.
//
// TensorBoard treats every directory holding event files as a run, named by its path
// under --logdir ("." for --logdir itself): a gonbviz run directory with event files is
// one run, and the directory of a sweep shows all of its runs.
//
// # Writing
//
// The Add methods encode the event into a buffer, under a mutex: no I/O, and no
// allocation once the buffers have grown. A background goroutine appends the buffer to the
// file every WriterOptions.FlushInterval (1 s), so a killed process loses at most that much;
// Flush writes now, Close writes and fsyncs. The file is only appended to, whole records
// at a time, so TensorBoard may read it while it grows (a record it finds half written it
// reads on its next pass). A failed write stops the writer: the Add methods, Flush and
// Close return the error.
//
// # Reading
//
// Read walks a log directory and loads every run's scalars, histograms and text, from the
// summaries of both generations:
//
//   - v1, by summary type: simple_value scalars, HistogramProto histograms;
//   - v2, tensors named by the plugin in their metadata (written with the first event of a
//     tag only): "scalars" (a scalar tensor), "histograms" (a [k, 3] tensor of left edge,
//     right edge and count per bucket; Sum and SumSquares, which it does not carry, are
//     estimated from the bucket centres) and "text" (strings; several are joined by
//     newlines).
//
// Memory stays bounded on huge logs: each scalar series is downsampled while it is read,
// in the run store's bounded buckets (runs.Downsampler: its first and last points, and
// per group of steps its lowest and highest values and first NaN or ±Inf), to at most
// ReadOptions.MaxPoints points (DefaultMaxPoints); histograms and texts are thinned evenly
// to MaxHistograms and MaxTexts per series, the first and last kept.
//
// A graph_def is read as Run.Graph (the last one of the run). Images, audio and the other
// plugins' summaries are skipped and counted (Run.Skipped). Points are sorted by step
// (stable: a step written twice keeps both, in file order).
//
// # Errors
//
// Errors name the argument or the file and say what to do. Damaged files are not errors:
// a truncated last record (a writer killed mid-write, or still writing) ends the file's
// reading with a note; a record whose CRC does not match is named with its file and byte
// offset, and reading goes on with the next file; a record that is not an Event is
// skipped with a note (Log.Notes). Read fails only when the directory cannot be read or
// holds no event file. No panic escapes the API, whatever the files hold.
package tensorboard
