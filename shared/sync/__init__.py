"""The download engine: job -> stream windows -> pages -> records -> sink -> cursor."""
