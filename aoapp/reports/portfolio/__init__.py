"""Portfolio workbooks: an officer's, a branch's or the bank's period, streamed."""
