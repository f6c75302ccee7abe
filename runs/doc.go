// SPDX-License-Identifier: Apache-2.0

// Package runs is the run store of gonbviz: the single source of every
// training chart and exporter. A training loop writes measurements into a
// [Run]; the live dashboard, and later the histogram views and the
// TensorBoard exporter, read them back, from memory while the run is live
// or from its directory afterwards. It knows nothing of GoMLX or of charts.
//
//	run, err := runs.Create(filepath.Join(root, "lr=0.01"), runs.Meta{Name: "lr=0.01"})
//	...
//	run.Add("train/loss", step, loss, runs.Epoch(epoch)) // cheap, any goroutine
//	...
//	points := run.Series("train/loss") // at most 1000 points, for a chart
//	err = run.Close()
//
//	r, err := runs.Open(dir)     // the same views, from disk
//	metas, err := runs.List(root) // all runs under root, by start time
//	meta, err := runs.Latest("")  // the newest run under the default root
//
// # Runs and series
//
// A run has metadata ([Meta]: id, name, model description,
// hyperparameters, backend, start and end time, status, gonbviz version,
// tags) and scalar series. A series is named by a path ("train/loss",
// "train/loss_ma", "eval/validation/accuracy") and has a [Kind] ("loss",
// "accuracy", "other": charts put series of one kind together) and a split
// ("train", "eval:<dataset>"). [Run.Declare] sets them; otherwise the first
// Add guesses them from the name ([GuessSeriesInfo]). A point ([Point]) is a
// step (int64), a wall time (seconds since the run's start, float), an
// optional fractional epoch and a value. Values may be NaN or ±Inf: they are
// stored exactly and charts draw them as gaps.
//
// # On-disk format
//
// A run is a directory (format "gonbviz-run/1"). All text is UTF-8 JSON.
//
// meta.json is one JSON object, rewritten atomically (temporary file, fsync,
// rename) at Create, when a new series appears, and at Close:
//
//	{
//	  "format": "gonbviz-run/1",        // readers refuse "gonbviz-run/2" and later
//	  "id": "20260504-153012-9f2c1a",
//	  "name": "lr=0.01",                 // optional, as are model, hyperparameters,
//	  "model": "MLP 784-512-10",         // backend, gonbviz_version, tags, series,
//	  "hyperparameters": {"lr": 0.01},   // status_message
//	  "backend": "go",
//	  "start_time": "2026-05-04T15:30:12.123456789+02:00",  // RFC 3339
//	  "end_time": "2026-05-04T16:01:40.5+02:00",            // absent while running
//	  "status": "finished",              // running | finished | failed | stopped
//	  "status_message": "",
//	  "gonbviz_version": "v0.1.0",
//	  "tags": ["sweep"],
//	  "series": [{"name": "train/loss", "kind": "loss", "split": "train"}]
//	}
//
// A run whose status stays "running" after its process is gone was killed:
// its last record tells when it stopped.
//
// scalars.jsonl is JSON Lines: one JSON object per line, each line ended by
// "\n", in the order they were added. Two record types:
//
//	{"type":"series","series":"train/loss","kind":"loss","split":"train"}
//	{"series":"train/loss","step":1200,"wall":61.503125,"epoch":2.34,"value":0.3125}
//	{"series":"train/loss","step":1201,"wall":61.55,"value":null,"nonfinite":"nan"}
//
// A line with "type":"series" declares (or re-declares: the last one wins) a
// series before its first point; it is the source of truth for the "series"
// list in meta.json. A line without "type" is a point: "series" (string),
// "step" (integer), "wall" (number: seconds since start_time, rounded to the
// microsecond), "epoch" (number, absent when not recorded) and "value": a
// number written in the shortest form that reads back to the same float64,
// or null with "nonfinite" set to "nan", "+inf" or "-inf". A null value
// without "nonfinite" reads as NaN. Readers skip lines they cannot parse and
// record types they do not know (with a note, see [Run.Notes]), and ignore
// fields they do not know, so later versions may add both. The last line may
// be incomplete if the writer was killed during a write: readers skip it
// (and a writer appending to the run first ends it with "\n").
//
// Other kinds of records (histograms, images, text) go to sibling files
// <stream>.jsonl through the same buffer and flusher, one JSON value per
// line ([Run.AppendRecord]); by convention their records carry "step" and
// "wall" too. [ReadStream] reads them back with the same torn-line
// tolerance. Stream names are a-z, 0-9, '_' and '-'.
//
// # Writing
//
// [Create] makes the directory and writes meta.json; a directory that
// already holds a run is refused unless [Options].IfExists says Append (add
// to it, keeping its metadata and start time) or Overwrite (delete its
// meta.json and *.jsonl files, nothing else). One process writes a run at a
// time.
//
// [Run.Add] updates the in-memory summary of the series and appends the
// point to a buffer, under a mutex: no I/O, no allocation once the series
// exists, safe from any goroutine. A background goroutine encodes and
// writes the buffer every [Options].FlushInterval (1 s) and fsyncs every
// SyncInterval (30 s); [Run.Flush] writes now, [Run.Sync] also fsyncs,
// [Run.Close] does both and records the end time and status. A killed
// process loses at most the last FlushInterval of points (tested by killing
// a child process with SIGKILL); a
// machine crash loses at most the last SyncInterval. If the training loop
// adds faster than the flusher writes (some 4 million points a second), Add
// waits once 65536 points are buffered. A failed write (disk full) stops the
// run from recording: Add, Flush and Close return the error; the in-memory
// series stay readable.
//
// Its costs (an Add allocates nothing) are measured by the package's benchmarks; figures
// are in docs/measurements/runs.md.
//
// # Reading and views
//
// [Open] reads a run directory (read-only) into the same in-memory
// summaries, so that the charts of a finished run can be redrawn from disk;
// [Run.Refresh] reads what another process appended since. [List] finds the
// runs under a root directory (for overlaying a sweep), sorted by start
// time; [Latest] the newest of them, by default under [DefaultRoot], where a
// dashboard or capture given no directory records (so that a later notebook
// cell, a new process, finds the run an earlier cell trained).
//
// [Run.Series] returns the chart view of a series: at most
// [Options].MaxPoints points (default 1000), sorted by step, always with the
// series' first and last points, every local extreme that stands out at
// that resolution (spikes survive), and a non-finite point wherever the
// series had one (at most one per group of steps), so the chart shows a gap
// there. A series of at most MaxPoints points is returned whole.
// [Run.SeriesN] gives a smaller view, [Run.Buckets] min/max/mean bands,
// [Run.Stats] counts, extremes and the latest point, and [Run.ScanScalars]
// every stored point at full resolution (for exporters).
//
// # Downsampling: what is kept in memory
//
// Each series keeps its points as they are while it has at most MaxPoints
// of them (up to 32 KiB), and a fixed number of buckets (MaxPoints-2, so
// 998 for the default, 160 bytes each: 156 KiB per series, allocated as the
// buckets fill) over its step range. A
// bucket holds its count, the sum, the smallest and largest step, the points
// with the finite minimum and maximum value and the first non-finite point.
// Bucket k covers steps [k*w, (k+1)*w) for a width w that is a power of two;
// when a step falls outside the buckets, w doubles and pairs of buckets
// merge. So memory does not grow with the number of steps (tested with 2e6
// points), steps may come in any order, and between doublings half to all
// of the buckets are in use. A view splits the buckets in use into
// (MaxPoints-2)/2 equal groups and draws each group's min and max (in step
// order), plus the first and last points.
//
// Why buckets: measured against M4, LTTB and TensorBoard's reservoir sampling on a noisy
// 1e6-point loss curve with spikes and NaN stretches, drawn at the dashboard's 360 px and at
// 1000 px, this scheme keeps every spike and every gap in bounded memory, with the lowest
// mean error at 360 px; LTTB needs every point in memory and drops the gaps, and reservoir
// sampling loses the spikes. The comparison, and how to reproduce it, is in
// docs/measurements/runs.md.
//
// # Errors
//
// Errors name the argument or file and say what to do, e.g.
// `runs: /runs/a already holds run "…" (started …, finished); pass a new
// directory, or Options{IfExists: runs.Append} to add to it, or
// runs.Overwrite to replace it`. Damaged or torn lines of a stream are
// skipped, not errors; only an unreadable meta.json makes Open fail. No
// panic escapes the API, whatever the files hold.
package runs
