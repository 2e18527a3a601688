"""Need and FAQ matching in stages: keywords (typo- and suffix-tolerant), meaning (a small
multilingual sentence-embedding model) and their fusion. The public entry points stay in
eligibility.matcher (match_needs, match_faq)."""
