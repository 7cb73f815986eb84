package journal

// SecretName reports whether a variable's name says it holds a secret (API_KEY,
// PGPASSWORD, authToken): the same judgement the masker makes of a NAME=value pair.
// Values of such variables are never written to a journal.
func SecretName(name string) bool { return secretName(name) }
