// Package bulk plans a bulk registration parameters file (one JSON object
// of parameters per line) through one compiled template, on every core,
// in input order, in bounded memory.
package bulk

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/template"
)

// DefaultMaxLine is the longest line StartThingRegistrationTask accepts.
const DefaultMaxLine = model.MaxBulkLineBytes

// Output formats.
const (
	FormatJSON = "json" // one plan per line, with "line"
	FormatText = "text" // the failing lines, one problem per line
	FormatNone = ""     // nothing per line (--summary-only)
)

// Options tunes Run.
type Options struct {
	Input      eval.Input // type, certificate, registry, region, account; Params is ignored
	ParamsName string     // the parameters file's name, for positions
	Format     string
	Workers    int // default: GOMAXPROCS
	MaxLine    int // default: DefaultMaxLine
	// InputSize is the input's size in bytes when known (a file), which
	// sizes the duplicate-name table from the first lines' average length;
	// 0 lets the table grow.
	InputSize int64
	// Progress, when not nil, is called with the number of lines done.
	Progress func(lines int64)
	// Stop, when closed, interrupts the run (on SIGINT): no more lines are
	// read, the lines already read are planned and written whole, and the
	// summary, of those lines, has Interrupted set.
	Stop <-chan struct{}
	// Snippet, when not nil, shows a malformed line in text output: the
	// line (numbered n) with a caret under column col (1-based, in
	// characters). The caller lays it out for its terminal.
	Snippet func(line []byte, n int64, col int) string
}

// Summary is what a bulk plan found.
type Summary struct {
	Lines          int64             `json:"lines"`
	Succeeded      int64             `json:"succeeded"`
	Failed         int64             `json:"failed"`
	Reasons        []Reason          `json:"failuresByCode"`          // why lines fail, most frequent first
	Resources      []ResourceCount   `json:"resources"`               // what successful lines do, per resource of the template
	MustExist      []string          `json:"mustExist"`               // thing types, groups, billing groups and policies the lines name
	MoreMustExist  int               `json:"moreMustExist"`           // names left out of MustExist
	Duplicates     []Duplicate       `json:"duplicateThingNames"`     // thing names on more than one line
	DuplicateNames int64             `json:"duplicateThingNameCount"` // how many names are duplicated (Duplicates may be cut)
	UnknownKeys    []UnknownKey      `json:"unusedParameters"`        // parameters the template does not use
	Assumptions    []eval.Assumption `json:"assumptions"`
	Interrupted    bool              `json:"interrupted,omitempty"` // Options.Stop ended the run early
	// PrivateKeys counts the parameters that held a PEM private key, which
	// were planned (and are shown) as a placeholder.
	PrivateKeys int64 `json:"privateKeyParameters,omitempty"`
}

// Reason counts the lines that fail with one diagnostic code, and for
// malformed lines (PT131) one problem.
type Reason struct {
	Code    string  `json:"code"`
	Problem string  `json:"problem,omitempty"` // for PT131: ProblemTrailing, ProblemNotString...
	Example string  `json:"example"`           // the first line's message
	Count   int64   `json:"count"`
	Lines   []int64 `json:"lines"` // the first few
}

// ResourceCount counts what successful lines do with one resource.
type ResourceCount struct {
	LogicalID string           `json:"logicalId"`
	Type      string           `json:"type"`
	Actions   map[string]int64 `json:"actions"`
}

// Duplicate is a thing name that several lines would create.
type Duplicate struct {
	Name  string  `json:"name"`
	Lines []int64 `json:"lines"` // the first few
}

// UnknownKey is a parameter name the template does not use, with the first
// line that gives it.
type UnknownKey struct {
	Name string `json:"name"`
	Line int64  `json:"firstLine"`
}

// Report limits, so that the summary stays small whatever the input.
const (
	maxExampleLines = 10
	maxDuplicates   = 100
	maxMustExist    = 1000
	batchLines      = 4096
	batchBytes      = 1 << 20
)

// Run plans every line of r and writes the per-line results to w in input
// order. Every line is accounted for exactly once: it succeeds or fails
// (malformed, too long, missing parameters, anything the plan rejects). The
// error is for I/O problems only.
func Run(prog *eval.Program, r io.Reader, w io.Writer, opts Options) (*Summary, error) {
	if prog.File() == nil || prog.File().Template == nil {
		return nil, errors.New("bulk: the program has no template body to plan")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	opts.Input.Params = nil
	if opts.Input.Type == "" {
		opts.Input.Type = eval.BulkRegistration
	}
	c := newCollector(prog, w, opts)
	batches := make(chan *batch, opts.Workers)
	results := make(chan *result, opts.Workers)
	inFlight := make(chan struct{}, 4*opts.Workers) // bounds memory: batches read but not yet written

	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(prog, opts)
			for b := range batches {
				results <- wk.process(b)
			}
		}()
	}
	readErr := make(chan error, 1)
	interrupted := false
	go func() {
		var err error
		interrupted, err = readBatches(r, opts.MaxLine, batches, inFlight, opts.Stop)
		readErr <- err
		close(batches)
		wg.Wait()
		close(results)
	}()
	var writeErr error
	for res := range results {
		if writeErr == nil {
			writeErr = c.add(res, inFlight)
		} else {
			<-inFlight // keep draining so the pipeline ends
		}
	}
	if err := <-readErr; err != nil {
		return nil, err
	}
	if writeErr != nil {
		return nil, writeErr
	}
	sum := c.summary()
	sum.Interrupted = interrupted
	return sum, nil
}

// batch is a run of consecutive lines.
type batch struct {
	seq   int
	first int64 // number of the first line
	data  []byte
	lines []lineRef
}

type lineRef struct {
	start, end int
	tooLong    bool
}

var batchPool = sync.Pool{New: func() any { return &batch{data: make([]byte, 0, batchBytes+4096)} }}

// readBatches splits r into batches of lines. A line longer than maxLine is
// skipped without being kept in memory, and recorded as too long.
// It stops early, reporting true, when stop is closed.
func readBatches(r io.Reader, maxLine int, out chan<- *batch, inFlight chan struct{}, stop <-chan struct{}) (stopped bool, err error) {
	br := bufio.NewReaderSize(r, maxLine+2) // room for "\r\n"
	seq, line := 0, int64(1)
	cur := newBatch(seq, line)
	flush := func() {
		inFlight <- struct{}{}
		out <- cur
		seq++
		cur = newBatch(seq, line)
	}
	for {
		select {
		case <-stop:
			if len(cur.lines) > 0 {
				flush()
			}
			return true, nil
		default:
		}
		text, err := br.ReadSlice('\n')
		tooLong := false
		if errors.Is(err, bufio.ErrBufferFull) {
			tooLong = true
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		atEOF := err != nil
		if atEOF && len(text) == 0 && !tooLong {
			break
		}
		text = bytes.TrimSuffix(bytes.TrimSuffix(text, []byte("\n")), []byte("\r"))
		if len(text) > maxLine {
			tooLong = true
		}
		ref := lineRef{start: len(cur.data), tooLong: tooLong}
		if !tooLong {
			cur.data = append(cur.data, text...)
		}
		ref.end = len(cur.data)
		cur.lines = append(cur.lines, ref)
		line++
		if len(cur.lines) >= batchLines || len(cur.data) >= batchBytes {
			flush()
		}
		if atEOF {
			break
		}
	}
	if len(cur.lines) > 0 {
		flush()
	}
	return false, nil
}

func newBatch(seq int, first int64) *batch {
	b := batchPool.Get().(*batch)
	b.seq, b.first, b.data, b.lines = seq, first, b.data[:0], b.lines[:0]
	return b
}

// result is a processed batch.
type result struct {
	seq         int
	bytes       int64   // input bytes of the batch
	buf         *[]byte // pooled backing of out
	out         []byte
	lines       int64
	succeeded   int64
	fails       []lineFailure
	names       []lineName
	actions     [][]int64 // per resource, per action index
	mustExist   []string
	unknown     []UnknownKey
	assumptions []eval.Assumption // new since the worker's previous batch
	privateKeys int64             // parameters that held a private key
}

type lineFailure struct {
	line    int64
	code    string
	problem string
	msg     string
}

type lineName struct {
	line    int64
	name    string
	thing   int     // index of the thing resource among the plan's resources
	created bool    // the line's plan creates the thing
	actions []uint8 // each resource's action (actionIndex)
}

var actionIndex = map[string]int{eval.ActionCreate: 0, eval.ActionUpdate: 1, eval.ActionNoOp: 2, eval.ActionFail: 3}
var actionNames = []string{eval.ActionCreate, eval.ActionUpdate, eval.ActionNoOp, eval.ActionFail}

// worker plans lines with its own Evaluator.
type worker struct {
	ev    *eval.Evaluator
	opts  Options
	dec   decoder
	pairs []pair
	// lastKeys and lastSlots remember the previous line's keys and their
	// slots: bulk files repeat the same keys in the same order.
	lastKeys  []string
	lastSlots []int
	nres      int
	seen      map[string]bool    // unknown parameter names already reported by this worker
	must      [4]map[string]bool // per kind of mustExistKinds, names already reported
	nmust     int
	// sawWritten is set after the first successful line: values written in
	// the template are the same on every line, so they are noted once.
	sawWritten bool
	nassumed   int // assumptions already passed on
}

var mustExistKinds = [4]string{"thing type", "thing group", "billing group", "policy"}

func newWorker(prog *eval.Program, opts Options) *worker {
	ev := prog.NewEvaluator(opts.Input)
	if opts.Format != FormatJSON {
		ev.OmitParameters()
	}
	n := len(prog.File().Template.Resources)
	wk := &worker{ev: ev, opts: opts, nres: n, seen: map[string]bool{}}
	for i := range wk.must {
		wk.must[i] = map[string]bool{}
	}
	return wk
}

var outPool = sync.Pool{New: func() any { b := make([]byte, 0, 2*batchBytes); return &b }}

func (wk *worker) process(b *batch) *result {
	res := &result{seq: b.seq, actions: make([][]int64, wk.nres), names: make([]lineName, 0, len(b.lines))}
	for i := range res.actions {
		res.actions[i] = make([]int64, len(actionNames))
	}
	if wk.opts.Format != FormatNone {
		res.buf = outPool.Get().(*[]byte)
		res.out = (*res.buf)[:0]
	}
	for i, ref := range b.lines {
		wk.line(res, b.first+int64(i), b.data[ref.start:ref.end], ref.tooLong)
	}
	res.lines = int64(len(b.lines))
	res.bytes = int64(len(b.data) + len(b.lines))
	if a := wk.ev.Assumptions(); len(a) > wk.nassumed {
		res.assumptions = slices.Clone(a[wk.nassumed:])
		wk.nassumed = len(a)
	}
	batchPool.Put(b)
	return res
}

// line plans one line and records its outcome.
func (wk *worker) line(res *result, n int64, data []byte, tooLong bool) {
	fail := func(code, problem string, col int, msg string) {
		res.fails = append(res.fails, lineFailure{n, code, problem, msg})
		d := template.Diagnostic{Severity: template.Error, Code: code, Message: msg,
			Range: template.Range{Filename: wk.opts.ParamsName, Start: template.Pos{Line: int(n), Column: col}, End: template.Pos{Line: int(n), Column: col}}}
		wk.writeFailure(res, n, template.Diagnostics{d})
		if wk.opts.Format == FormatText && wk.opts.Snippet != nil && !tooLong && len(bytes.TrimSpace(data)) > 0 {
			res.out = append(res.out, wk.opts.Snippet(data, n, col)...)
		}
	}
	switch {
	case tooLong:
		fail(eval.CodeBulkLineTooLong, ProblemTooLong, 1, "the line is longer than "+strconv.Itoa(wk.opts.MaxLine>>10)+" KiB, the most StartThingRegistrationTask accepts")
		return
	case len(bytes.TrimSpace(data)) == 0:
		fail(eval.CodeBulkLine, ProblemEmptyLine, 1, "empty line: every line must be a JSON object of parameters")
		return
	}
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			bad += size
		}
		fail(eval.CodeBulkLine, ProblemInvalidUTF8, utf8.RuneCount(data[:bad])+1, "the line is not valid UTF-8; save the file as UTF-8")
		return
	}
	// The line is decoded without copying it: the strings it yields are
	// valid while the batch is being processed, and whatever outlives the
	// line (names for the summary) is cloned.
	var lerr *lineError
	wk.pairs, lerr = wk.dec.decode(unsafe.String(unsafe.SliceData(data), len(data)), wk.pairs[:0])
	if lerr != nil {
		fail(eval.CodeBulkLine, lerr.problem, lerr.column, lerr.msg)
		return
	}
	wk.ev.Reset()
	var notString *pair // the first used parameter whose value is not a string
	if dup, ok := duplicateKey(wk.pairs); ok {
		fail(eval.CodeBulkLine, ProblemDuplicate, 1, "parameter "+strconv.Quote(dup)+" is given twice")
		return
	}
	for _, p := range wk.pairs {
		// The limits RegisterThing puts on a parameter hold for every
		// parameter of a bulk line too (U4), as the plan of one device says.
		if len(p.key) > model.MaxParamKeyChars {
			fail(eval.CodeRequestLimit, ProblemTooLongValue, max(p.column, 1), "parameter name "+strconv.Quote(model.Abbrev(p.key))+" is longer than RegisterThing's 2,048 characters (U4)")
			return
		}
		if len(p.value) <= model.MaxParamValueChars { // no more characters than bytes: the common case costs no count
			continue
		}
		if n := utf8.RuneCountInString(p.value); n > model.MaxParamValueChars {
			fail(eval.CodeRequestLimit, ProblemTooLongValue, max(p.column, 1), "the value of parameter "+strconv.Quote(p.key)+" is "+strconv.Itoa(n)+" characters; RegisterThing accepts at most 4,096 (U4)")
			return
		}
	}
	for i, p := range wk.pairs {
		if slot, ok := wk.slot(i, p.key); ok {
			if strings.Contains(p.value, "PRIVATE KEY-----") { // never planned, so never printed
				var masked bool
				if p.value, masked = secret.Mask(p.value); masked {
					res.privateKeys++
				}
			}
			wk.ev.Set(slot, p.value)
			if p.scalar && notString == nil {
				notString = &wk.pairs[i]
			}
		} else if len(wk.seen) < 64 && !wk.seen[p.key] {
			key := strings.Clone(p.key)
			wk.seen[key] = true
			res.unknown = append(res.unknown, UnknownKey{key, n})
		}
	}
	plan := wk.ev.Evaluate()
	if plan.Outcome == "success" && notString != nil {
		// The line's own problem comes after any the plan finds: a
		// missing parameter says more than a number that should be quoted.
		fail(eval.CodeBulkLine, ProblemNotString, notString.column, "the value of "+strconv.Quote(notString.key)+" is "+notString.value+", not a string; StartThingRegistrationTask takes parameter values as strings (A6): quote it")
		return
	}
	if plan.Outcome != "success" {
		for _, d := range plan.Errors {
			res.fails = append(res.fails, lineFailure{n, d.Code, "", d.Message})
			break // the first reason counts the line
		}
		wk.writePlan(res, n, plan)
		return
	}
	res.succeeded++
	for i, r := range plan.Resources {
		if i < len(res.actions) {
			res.actions[i][actionIndex[r.Action]]++
		}
	}
	if name := plan.ThingName; name.Kind() == eval.String {
		ln := lineName{line: n, name: strings.Clone(name.Text()), thing: -1, actions: make([]uint8, len(plan.Resources))}
		for i, r := range plan.Resources {
			ln.actions[i] = uint8(actionIndex[r.Action])
			if r.Type == template.TypeThing && ln.thing < 0 {
				ln.thing, ln.created = i, r.Action == eval.ActionCreate
			}
		}
		res.names = append(res.names, ln)
	}
	wk.collectMustExist(res, plan)
	wk.writePlan(res, n, plan)
}

// duplicateKey returns the first key given twice in pairs. A line has a
// few keys, compared pairwise; a hostile line of 256 KiB can have tens of
// thousands, which a map checks in linear time.
func duplicateKey(pairs []pair) (string, bool) {
	if len(pairs) <= 16 {
		for i, p := range pairs {
			for _, q := range pairs[:i] {
				if q.key == p.key {
					return p.key, true
				}
			}
		}
		return "", false
	}
	seen := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		if seen[p.key] {
			return p.key, true
		}
		seen[p.key] = true
	}
	return "", false
}

// slot finds the slot of the i-th key of a line, remembering it for the
// next line.
func (wk *worker) slot(i int, key string) (int, bool) {
	if i < len(wk.lastKeys) && wk.lastKeys[i] == key {
		return wk.lastSlots[i], wk.lastSlots[i] >= 0
	}
	slot, ok := wk.ev.Slot(key)
	if !ok {
		slot = -1
	}
	if i < len(wk.lastKeys) {
		wk.lastKeys[i], wk.lastSlots[i] = strings.Clone(key), slot
	} else if i == len(wk.lastKeys) && i < 64 {
		wk.lastKeys, wk.lastSlots = append(wk.lastKeys, strings.Clone(key)), append(wk.lastSlots, slot)
	}
	return slot, ok
}

func (wk *worker) writePlan(res *result, n int64, plan *eval.Plan) {
	switch wk.opts.Format {
	case FormatJSON:
		res.out = plan.AppendJSONLine(res.out, n)
		res.out = append(res.out, '\n')
	case FormatText:
		if plan.Outcome != "success" {
			wk.writeFailure(res, n, plan.Errors)
		}
	}
}

// writeFailure writes a line that could not be planned at all.
func (wk *worker) writeFailure(res *result, n int64, diags template.Diagnostics) {
	switch wk.opts.Format {
	case FormatJSON:
		res.out = append(res.out, `{"outcome":"failure","templateType":`...)
		res.out = strconv.AppendQuote(res.out, wk.opts.Input.Type)
		res.out = append(res.out, `,"parameters":{},"resources":{},"thingName":null,"deviceConfiguration":{},"errors":`...)
		res.out = eval.AppendDiagnostics(res.out, diags)
		res.out = append(res.out, `,"warnings":[],"line":`...)
		res.out = strconv.AppendInt(res.out, n, 10)
		res.out = append(res.out, "}\n"...)
	case FormatText:
		for _, d := range diags {
			res.out = append(res.out, wk.opts.ParamsName...)
			res.out = append(res.out, ':')
			res.out = strconv.AppendInt(res.out, n, 10)
			if d.Range.Filename == wk.opts.ParamsName && d.Range.Start.Column > 0 {
				res.out = append(res.out, ':')
				res.out = strconv.AppendInt(res.out, int64(d.Range.Start.Column), 10)
			}
			res.out = append(res.out, ": error "...)
			res.out = append(res.out, d.Code...)
			res.out = append(res.out, ": "...)
			res.out = append(res.out, d.Message...)
			if d.Range.Filename != wk.opts.ParamsName && d.Range.Start.IsValid() {
				res.out = append(res.out, " ("...)
				res.out = append(res.out, d.Range.Filename...)
				res.out = append(res.out, ':')
				res.out = strconv.AppendInt(res.out, int64(d.Range.Start.Line), 10)
				res.out = append(res.out, ':')
				res.out = strconv.AppendInt(res.out, int64(d.Range.Start.Column), 10)
				res.out = append(res.out, ')')
			}
			res.out = append(res.out, '\n')
		}
	}
}

// collectMustExist notes the names a successful line needs to exist: thing
// types, groups and billing groups, and policies named by PolicyName.
func (wk *worker) collectMustExist(res *result, plan *eval.Plan) {
	if wk.opts.Input.Existing != nil {
		return // checked, line by line
	}
	note := func(kind int, v eval.Value) {
		if v.Kind() != eval.String || (wk.sawWritten && v.Written()) || wk.must[kind][v.Text()] || wk.nmust >= 4*maxMustExist {
			return
		}
		wk.must[kind][strings.Clone(v.Text())] = true
		wk.nmust++
		res.mustExist = append(res.mustExist, mustExistKinds[kind]+" "+strconv.Quote(v.Text()))
	}
	for _, r := range plan.Resources {
		switch r.Type {
		case template.TypeThing:
			if v, ok := r.Properties.Get("ThingTypeName"); ok {
				note(0, v)
			}
			if g, ok := r.Properties.Get("ThingGroups"); ok {
				for _, it := range g.Items() {
					note(1, it)
				}
			}
			if v, ok := r.Properties.Get("BillingGroup"); ok {
				note(2, v)
			}
		case template.TypePolicy:
			if v, ok := r.Properties.Get("PolicyName"); ok {
				note(3, v)
			}
		}
	}
	wk.sawWritten = true
}

// collector writes results in input order and merges what they found.
type collector struct {
	prog    *eval.Program
	w       io.Writer
	opts    Options
	next    int
	pending map[int]*result
	sum     Summary
	names   *nameSet
	dups    map[string]int // name -> index in sum.Duplicates
	reasons map[string]*Reason
	must    map[string]bool
	unknown map[string]bool
	actions [][]int64
}

func newCollector(prog *eval.Program, w io.Writer, opts Options) *collector {
	c := &collector{prog: prog, w: w, opts: opts, pending: map[int]*result{},
		dups: map[string]int{}, reasons: map[string]*Reason{}, must: map[string]bool{}, unknown: map[string]bool{}}
	return c
}

func (c *collector) add(res *result, inFlight chan struct{}) error {
	c.pending[res.seq] = res
	for {
		r, ok := c.pending[c.next]
		if !ok {
			return nil
		}
		delete(c.pending, c.next)
		c.next++
		c.merge(r) // may add to r.out
		if len(r.out) > 0 {
			if _, err := c.w.Write(r.out); err != nil {
				<-inFlight
				return err
			}
		}
		if r.buf != nil {
			*r.buf = r.out[:0]
			outPool.Put(r.buf)
		}
		<-inFlight
		if c.opts.Progress != nil {
			c.opts.Progress(c.sum.Lines)
		}
	}
}

func (c *collector) merge(r *result) {
	s := &c.sum
	s.Lines += r.lines
	s.Succeeded += r.succeeded
	s.PrivateKeys += r.privateKeys
	s.Failed += int64(len(r.fails))
	for _, f := range r.fails {
		c.countFailure(f)
	}
	if c.names == nil {
		// Size the name table from the input's size and the first lines'
		// average length, with a tenth to spare.
		expected := 0
		if c.opts.InputSize > 0 && r.lines > 0 && r.bytes > 0 {
			expected = int(float64(c.opts.InputSize) / (float64(r.bytes) / float64(r.lines)) * 1.1)
		}
		c.names = newNameSet(expected)
	}
	if c.actions == nil {
		c.actions = r.actions
	} else {
		for i := range r.actions {
			for j := range r.actions[i] {
				c.actions[i][j] += r.actions[i][j]
			}
		}
	}
	for _, nm := range r.names {
		first, seen, again := c.names.add(nm.name, uint32(nm.line))
		if !seen {
			continue
		}
		c.meetsEarlierThing(r, nm)
		if !again {
			s.DuplicateNames++ // once a name, however many lines repeat it
		}
		i, known := c.dups[nm.name]
		if !known {
			if len(s.Duplicates) >= maxDuplicates {
				continue
			}
			i = len(s.Duplicates)
			c.dups[nm.name] = i
			s.Duplicates = append(s.Duplicates, Duplicate{Name: nm.name, Lines: []int64{int64(first)}})
		}
		if len(s.Duplicates[i].Lines) < maxExampleLines {
			s.Duplicates[i].Lines = append(s.Duplicates[i].Lines, nm.line)
		}
	}
	for _, m := range r.mustExist {
		if c.must[m] {
			continue
		}
		c.must[m] = true
		if len(s.MustExist) < maxMustExist {
			s.MustExist = append(s.MustExist, m)
		} else {
			s.MoreMustExist++
		}
	}
	for _, a := range r.assumptions {
		if !slices.Contains(s.Assumptions, a) {
			s.Assumptions = append(s.Assumptions, a)
		}
	}
	for _, u := range r.unknown {
		if !c.unknown[u.Name] {
			c.unknown[u.Name] = true
			s.UnknownKeys = append(s.UnknownKeys, u)
		}
	}
}

// countFailure counts a failing line under its reason.
func (c *collector) countFailure(f lineFailure) {
	key := f.code + "\x00" + f.problem
	re := c.reasons[key]
	if re == nil {
		re = &Reason{Code: f.code, Problem: f.problem, Example: f.msg}
		c.reasons[key] = re
	}
	re.Count++
	if len(re.Lines) < maxExampleLines {
		re.Lines = append(re.Lines, f.line)
	}
}

// meetsEarlierThing corrects the summary for a line whose thing an earlier
// line creates: when this line runs, the thing exists, so it is updated as
// the template's OverrideSettings say, not created again; with
// OverrideSettings FAIL on the thing, the line fails (and text output
// lists it with the batch's failures). Each line's own plan, and its JSON
// line, is of the line alone against the registry given.
func (c *collector) meetsEarlierThing(r *result, nm lineName) {
	if !nm.created || nm.thing < 0 || nm.thing >= len(c.actions) {
		return
	}
	fail := c.thingFailOverride(nm.thing)
	if fail == "" {
		c.actions[nm.thing][actionIndex[eval.ActionCreate]]--
		c.actions[nm.thing][actionIndex[eval.ActionUpdate]]++
		return
	}
	for i, a := range nm.actions {
		if i < len(c.actions) {
			c.actions[i][a]--
		}
	}
	s := &c.sum
	s.Succeeded--
	s.Failed++
	f := lineFailure{line: nm.line, code: eval.CodeConflict, msg: "thing " + strconv.Quote(nm.name) + " is created by an earlier line and OverrideSettings." + fail + " is FAIL; this line fails with ResourceConflictsException"}
	c.countFailure(f)
	if c.opts.Format == FormatText {
		r.out = append(r.out, c.opts.ParamsName...)
		r.out = append(r.out, ':')
		r.out = strconv.AppendInt(r.out, f.line, 10)
		r.out = append(r.out, ": error "+f.code+": "+f.msg+"\n"...)
	}
}

// thingFailOverride returns the property whose OverrideSettings is FAIL on
// the i-th resource, or "".
func (c *collector) thingFailOverride(i int) string {
	f := c.prog.File()
	if f == nil || f.Template == nil || i >= len(f.Template.Resources) {
		return ""
	}
	if o := f.Template.Resources[i].OverrideSettings; o != nil {
		for _, m := range o.Members {
			if v, ok := m.Value.(*template.String); ok && v.Value == "FAIL" {
				return m.Key.Value
			}
		}
	}
	return ""
}

func (c *collector) summary() *Summary {
	s := &c.sum
	// Lists are empty rather than missing in JSON.
	s.Reasons, s.MustExist, s.Duplicates, s.UnknownKeys = []Reason{}, orEmpty(s.MustExist), orEmpty(s.Duplicates), orEmpty(s.UnknownKeys)
	for _, re := range c.reasons {
		s.Reasons = append(s.Reasons, *re)
	}
	sort.Slice(s.Reasons, func(i, j int) bool {
		if s.Reasons[i].Count != s.Reasons[j].Count {
			return s.Reasons[i].Count > s.Reasons[j].Count
		}
		if s.Reasons[i].Code != s.Reasons[j].Code {
			return s.Reasons[i].Code < s.Reasons[j].Code
		}
		return s.Reasons[i].Problem < s.Reasons[j].Problem
	})
	for i, r := range c.prog.File().Template.Resources {
		rc := ResourceCount{LogicalID: r.LogicalID, Type: r.Type, Actions: map[string]int64{}}
		for j, name := range actionNames {
			if i < len(c.actions) && c.actions[i][j] > 0 {
				rc.Actions[name] = c.actions[i][j]
			}
		}
		s.Resources = append(s.Resources, rc)
	}
	s.Assumptions = orEmpty(s.Assumptions)
	sort.Strings(s.MustExist)
	return s
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
