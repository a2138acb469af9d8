"""The verb `ladder test`: rule tests run against their expectations, with coverage."""
