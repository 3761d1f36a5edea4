"""Product catalogue and introductions of products to prospects and customers."""
