package vegalite

func semanticProblems(spec any) []Problem { return nil }
