"""Marketing campaigns: what the marketing team runs, and the prospects and introductions they bring."""
