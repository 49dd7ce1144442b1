"""JD Recovery Bot: helps victims of JD.com account theft get their money back."""
