package eval

// Evaluator plans one device after another with the same input (type,
// certificate, registry) and different parameters, reusing its memory: the
// fast path for bulk registration files. An Evaluator is not safe for
// concurrent use; give each goroutine its own.
//
// A plan from Evaluate lacks what only a person reading one plan needs
// (steps, resourceArns, requirements) and is valid until the next call.
type Evaluator struct {
	pl *planner
}

// NewEvaluator returns an Evaluator for the program. in.Params is ignored:
// set parameters with Set.
func (p *Program) NewEvaluator(in Input) *Evaluator {
	in.Params = nil
	// Check once what is written in the template: plan with every
	// parameter unknown and keep each resource's failures.
	static := in
	static.Unknowns = true
	sp := p.newPlanner(static)
	sp.env.reset()
	sp.run()

	pl := p.newPlanner(in)
	pl.lean = true
	pl.static = sp.resFails
	pl.plan.Assumptions = sp.plan.Assumptions
	pl.note = sp.note
	return &Evaluator{pl}
}

// Slot returns the slot of a parameter the template declares or references.
func (e *Evaluator) Slot(name string) (int, bool) {
	i, ok := e.pl.prog.slotOf[name]
	return i, ok
}

// Reset starts a new device: every parameter has its Default, or none.
func (e *Evaluator) Reset() { e.pl.env.reset() }

// Set gives a parameter a value for the current device.
func (e *Evaluator) Set(slot int, value string) {
	e.pl.env.vals[slot], e.pl.env.set[slot] = value, true
}

// Evaluate plans the current device.
func (e *Evaluator) Evaluate() *Plan { return e.pl.run() }

// Assumptions lists the undocumented AWS behaviour the plans so far relied
// on.
func (e *Evaluator) Assumptions() []Assumption { return e.pl.plan.Assumptions }

// OmitParameters makes Evaluate leave Plan.Parameters empty, for callers
// that do not report them (a bulk summary).
func (e *Evaluator) OmitParameters() { e.pl.noParams = true }
