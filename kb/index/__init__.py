"""The index: what an index run writes into a generation directory and a search reads back."""
