package courses

// PerAttempt is how many questions one attempt of the module's quiz shows:
// QuizQuestions, or every question when that is unset or asks for more
// than the quiz holds.
func (m *Module) PerAttempt() int {
	if m.QuizQuestions > 0 && m.QuizQuestions < len(m.Questions) {
		return m.QuizQuestions
	}
	return len(m.Questions)
}

// quizQuestions reads a quiz_questions setting, on course.md or a module;
// 0 when it is not usable (the problem has been reported).
func (p *courseParser) quizQuestions(path string, fd field) int {
	n, ok := p.integer(path, fd, "5")
	if !ok {
		return 0
	}
	if n < 1 {
		p.errorf(path, fd.line, "quiz_questions must be at least 1, not %d: leave it out to show every question in each attempt", n)
		return 0
	}
	return n
}

// checkPools gives each module its draw per attempt (its own
// quiz_questions, else the course's) and warns when its quiz holds fewer
// questions than that.
func (p *courseParser) checkPools(c *Course, modules []*moduleDraft) {
	const why = "every attempt shows the same questions, so a retake can be passed from memory"
	for _, m := range modules {
		if m.drawLine == 0 {
			m.mod.QuizQuestions = c.QuizQuestions
		}
		n, pool := m.mod.QuizQuestions, len(m.mod.Questions)
		switch {
		case n == 0 || pool >= n:
		case m.drawLine > 0 && pool == 0:
			p.warnf(m.src.path, m.drawLine, "quiz_questions is set, but the module has no quiz questions to draw from: remove the setting, or write a quiz of at least %d questions", n)
		case m.drawLine > 0:
			p.warnf(m.src.path, m.drawLine, "quiz_questions asks for %d questions per attempt, but the quiz has only %d: %s; write more questions or lower quiz_questions", n, pool, why)
		case pool > 0:
			p.warnf(m.src.path, m.quizLine, "course.md asks for %d questions per attempt (quiz_questions), but this quiz has only %d: %s; write more questions, or set a lower quiz_questions in this module", n, pool, why)
		}
	}
}
